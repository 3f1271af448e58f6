// Starts the cairn binary (CAIRN_BINARY) on a free port of 127.0.0.1 with the virtual clock,
// and hands out AWS SDK v3 clients that act as a given account (cairn: the access key id).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BINARY = process.env.CAIRN_BINARY ?? path.join(here, "..", "..", "build", "src", "main", "cairn");
export const MANAGEMENT = "111111111111";
export const REGION = "us-east-1";

export class Cairn {
  static async start(...extraArgs) {
    const cairn = new Cairn();
    cairn.process = spawn(BINARY, ["--port", "0", "--clock", "virtual", "--log-level", "warn", ...extraArgs],
                          { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    cairn.process.stderr.on("data", (chunk) => { stderr += chunk; });
    const line = await new Promise((resolve, reject) => {
      const lines = createInterface({ input: cairn.process.stdout });
      lines.once("line", (text) => resolve(text));
      cairn.process.once("exit", (code) => reject(new Error(`cairn exited ${code}: ${stderr}`)));
      cairn.process.once("error", reject);
    });
    if (!line.includes("listening on")) throw new Error(`cairn did not start: ${line} ${stderr}`);
    cairn.endpoint = line.trim().split(" ").pop();
    return cairn;
  }

  async stop() {
    if (this.process.exitCode !== null) return this.process.exitCode;
    const exited = new Promise((resolve) => this.process.once("exit", (code) => resolve(code)));
    this.process.kill("SIGTERM");
    const timer = setTimeout(() => this.process.kill("SIGKILL"), 15000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  // An SDK v3 client of class ClientClass acting as `account` in `region`; no retries, so an
  // error surfaces at once.
  client(ClientClass, account = MANAGEMENT, region = REGION) {
    return new ClientClass({
      endpoint: this.endpoint, region, maxAttempts: 1,
      credentials: { accessKeyId: account, secretAccessKey: "secret" },
    });
  }

  async admin(method, pathName, payload) {
    const response = await fetch(this.endpoint + pathName, {
      method, body: payload === undefined ? undefined : JSON.stringify(payload),
      headers: payload === undefined ? {} : { "Content-Type": "application/json" },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  // Moves cairn's clock in one advance, which runs every lifecycle step falling within it,
  // the steps earlier steps schedule included.
  async advance(seconds = 5) {
    const { status, body } = await this.admin("POST", "/_cairn/clock/advance", { seconds });
    if (status !== 200) throw new Error(`clock advance: ${status} ${JSON.stringify(body)}`);
  }
}

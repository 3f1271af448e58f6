#!/usr/bin/env python3
"""Builds src/services/securityhub/catalog.json, the Security Hub standards and security controls
that cairn serves (DescribeStandards, DescribeStandardsControls, ListSecurityControlDefinitions,
GetSecurityControlDefinition, and the parameter definitions that configuration policies'
SecurityControlCustomParameters are validated against), from the research notes beside this
script (see README.md for what each holds, where it came from and what is missing):

  controls_export.tsv   every security control as ListSecurityControlDefinitions and
                        GetSecurityControlDefinition returned it in one account (2025 export):
                        id, severity, title, description, parameter definitions, the standards
                        that include it
  supplement.tsv        current FSBP controls newer than the export whose severity was read in
                        AWS's user guide
  controls_2023.tsv     the 2023 controls reference: CIS v1.2.0/v1.4.0 requirement numbers (the
                        standard control ids of those standards) and NIST/PCI DSS v3.2.1 related
                        requirements
  fsbp_v1.0.0.txt       the current FSBP list of the user guide
  cis_v3.0.0.txt        the current CIS v3.0.0 list
  pci_dss_v3.2.1.txt    PCI DSS v3.2.1 standard control ids and their security controls
  pci_dss_v4.0.1.txt    the current PCI DSS v4.0.1 list
  verified.json         AllowedValues of Enum parameters and per-standard overrides read in AWS's
                        pages or CLI examples

A control is in the catalog only when AWS's own output or pages give its id and severity; no
control, severity or parameter is made up.

Usage: python3 tools/securityhub_catalog/build.py  (writes compact JSON; deterministic)
"""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "..", "src", "services", "securityhub", "catalog.json")

# DescribeStandards order: the three original standards first, as AWS lists them, then newer ones.
STANDARDS = [
    {
        "key": "fsbp",
        "StandardsArn": "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
        "Path": "aws-foundational-security-best-practices/v/1.0.0",
        "Name": "AWS Foundational Security Best Practices v1.0.0",
        "Description": "The AWS Foundational Security Best Practices standard is a set of automated security "
        "checks that detect when AWS accounts and deployed resources do not align to security best "
        "practices. The standard is defined by AWS security experts. This curated set of controls helps "
        "improve your security posture in AWS, and cover AWS's most popular and foundational services.",
        "EnabledByDefault": True,
        "DescriptionSource": "verbatim (AWS CLI example describe-standards)",
    },
    {
        "key": "cis120",
        "StandardsArn": "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0",
        "Path": "cis-aws-foundations-benchmark/v/1.2.0",
        "Name": "CIS AWS Foundations Benchmark v1.2.0",
        "Description": "The Center for Internet Security (CIS) AWS Foundations Benchmark v1.2.0 is a set of "
        "security configuration best practices for AWS. This Security Hub standard automatically checks "
        "for your compliance readiness against a subset of CIS requirements.",
        "EnabledByDefault": True,
        "DescriptionSource": "verbatim (AWS CLI example describe-standards)",
    },
    {
        "key": "pci321",
        "StandardsArn": "arn:aws:securityhub:{region}::standards/pci-dss/v/3.2.1",
        "Path": "pci-dss/v/3.2.1",
        "Name": "PCI DSS v3.2.1",
        "Description": "The Payment Card Industry Data Security Standard (PCI DSS) v3.2.1 is an information "
        "security standard for entities that store, process, and/or transmit cardholder data. This "
        "Security Hub standard automatically checks for your compliance readiness against a subset of PCI "
        "DSS requirements.",
        "EnabledByDefault": False,
        "DescriptionSource": "verbatim (AWS CLI example describe-standards)",
    },
    {
        "key": "cis140",
        "StandardsArn": "arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/1.4.0",
        "Path": "cis-aws-foundations-benchmark/v/1.4.0",
        "Name": "CIS AWS Foundations Benchmark v1.4.0",
        "Description": "The Center for Internet Security (CIS) AWS Foundations Benchmark v1.4.0 is a set of "
        "security configuration best practices for AWS. This Security Hub standard automatically checks "
        "for your compliance readiness against a subset of CIS requirements.",
        "EnabledByDefault": False,
        "DescriptionSource": "derived from the v1.2.0 text (not seen verbatim)",
    },
    {
        "key": "nist",
        "StandardsArn": "arn:aws:securityhub:{region}::standards/nist-800-53/v/5.0.0",
        "Path": "nist-800-53/v/5.0.0",
        "Name": "NIST Special Publication 800-53 Revision 5",
        "Description": "The National Institute of Standards and Technology (NIST) SP 800-53 Rev. 5 is a "
        "cybersecurity and compliance framework that helps protect the confidentiality, integrity, and "
        "availability of information systems. This Security Hub standard automatically checks for your "
        "compliance readiness against a subset of NIST SP 800-53 Rev. 5 requirements.",
        "EnabledByDefault": False,
        "DescriptionSource": "derived (not seen verbatim)",
    },
    {
        "key": "cis300",
        "StandardsArn": "arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/3.0.0",
        "Path": "cis-aws-foundations-benchmark/v/3.0.0",
        "Name": "CIS AWS Foundations Benchmark v3.0.0",
        "Description": "The Center for Internet Security (CIS) AWS Foundations Benchmark v3.0.0 is a set of "
        "security configuration best practices for AWS. This Security Hub standard automatically checks "
        "for your compliance readiness against a subset of CIS requirements.",
        "EnabledByDefault": False,
        "DescriptionSource": "derived from the v1.2.0 text (not seen verbatim)",
    },
    {
        "key": "pci401",
        "StandardsArn": "arn:aws:securityhub:{region}::standards/pci-dss/v/4.0.1",
        "Path": "pci-dss/v/4.0.1",
        "Name": "PCI DSS v4.0.1",
        "Description": "The Payment Card Industry Data Security Standard (PCI DSS) v4.0.1 is an information "
        "security standard for entities that store, process, and/or transmit cardholder data. This "
        "Security Hub standard automatically checks for your compliance readiness against a subset of PCI "
        "DSS requirements.",
        "EnabledByDefault": False,
        "DescriptionSource": "derived from the v3.2.1 text (not seen verbatim)",
    },
]

def natural_key(control_id):
    """ACM.1 < ACM.2 < ACM.10: service (byte order, as AWS lists them), then the number parts."""
    service, _, rest = control_id.partition(".")
    return (service, [int(part) if part.isdigit() else part for part in re.split(r"[.]", rest)])


def version_key(text):
    return [int(part) for part in text.split(".")]


def read_lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]



REQ_PREFIX = {"C12": "cis120", "C14": "cis140", "P": "pci321", "N": "nist"}
EXPORT_CODES = {"F": "fsbp", "C12": "cis120", "C14": "cis140", "C30": "cis300", "N": "nist",
                "P3": "pci321", "P4": "pci401", "T": "tagging"}

TAG_TEMPLATE = {
    "A": ("requiredTagKeys", "\u2019"),
    "B": ("requiredKeyTags", "'"),
}
TAG_PARAMETER_DESCRIPTION = ("List of non-system tag keys that the evaluated resource must contain. Tag keys "
                             "are case sensitive.")
VPC_ENDPOINT_PARAMETER = ("vpcIds~StringList~~~~Comma-separated list of Amazon VPC IDs for VPC endpoints. If "
                          "provided, the control fails if the services specified in the serviceName parameter "
                          "don't have one of these VPC endpoints.")


def tag_description(variant, resource, noun):
    param, apostrophe = TAG_TEMPLATE[variant]
    return (f"This control checks whether {resource} has tags with the specific keys defined in the parameter "
            f"{param}. The control fails if the {noun} doesn{apostrophe}t have any tag keys or if it "
            f"doesn{apostrophe}t have all the keys specified in the parameter {param}. If the parameter {param} "
            f"isn't provided, the control only checks for the existence of a tag key and fails if the {noun} "
            f"isn't tagged with any key. System tags, which are automatically applied and begin with aws:, are "
            f"ignored.")


def tag_parameter(variant):
    return f"{TAG_TEMPLATE[variant][0]}~StringList~~~~{TAG_PARAMETER_DESCRIPTION}"


def number(text, integer):
    return int(text) if integer else float(text)


def parse_default(kind, text):
    """DefaultValue as the export printed it (Python repr of the API value), in the API's JSON type."""
    if kind == "Boolean":
        return {"true": True, "false": False}[text.lower()]
    if kind == "Integer":
        return int(text)
    if kind == "Double":
        return float(text)
    if kind in ("IntegerList", "StringList", "EnumList"):
        return json.loads(text)
    return text  # Enum, String


def parse_parameters(text):
    definitions = {}
    for item in filter(None, text.split(";;")):
        name, kind, default, low, high, description = item.split("~", 5)
        options = {}
        if default:
            options["DefaultValue"] = parse_default(kind, default)
        integer = kind in ("Integer", "IntegerList")
        if low:
            options["Min"] = number(low, integer)
        if high:
            options["Max"] = number(high, integer)
        definitions[name] = {"Description": description.replace("\\n", "\n"),
                             "ConfigurationOptions": {kind: options}}
    return definitions


def read_controls(name):
    controls = {}
    for line in read_lines(name):
        control_id, severity, availability, codes, title, description, parameters = line.split("|")
        if description.startswith("TAG:"):
            _, variant, resource, noun = description.split(":", 3)
            description = tag_description(variant, resource, noun)
            parameters = parameters or tag_parameter(variant)
        elif description == "=TITLE":
            description = title
        if parameters.startswith("TAGPARAM:"):
            parameters = tag_parameter(parameters.split(":")[1])
        elif parameters == "VPCEP":
            parameters = VPC_ENDPOINT_PARAMETER
        controls[control_id] = {
            "SecurityControlId": control_id,
            "Title": title,
            "Description": description.replace("\\n", "\n"),
            "severity": severity,
            "export_availability": availability,
            "standards": {EXPORT_CODES[code] for code in codes.split(",") if code},
            "parameters": parse_parameters(parameters),
        }
    return controls


def main():
    with open(os.path.join(HERE, "verified.json"), encoding="utf-8") as f:
        verified = json.load(f)

    controls = read_controls("controls_export.tsv")
    supplement = read_controls("supplement.tsv")
    for control_id, control in supplement.items():
        assert control_id not in controls, control_id
        controls[control_id] = control

    # Related requirements and CIS v1.2.0/v1.4.0 requirement numbers: the 2023 controls reference.
    requirements = {}  # control id -> {standard key -> [requirement]}
    for line in read_lines("controls_2023.tsv"):
        control_id, _severity, _schedule, _title, reqs = line.split("|")
        per_standard = requirements.setdefault(control_id, {})
        for req in reqs.split(","):
            prefix, _, value = req.partition(":")
            per_standard.setdefault(REQ_PREFIX[prefix], []).append(value)

    # AllowedValues (and other options) the export does not print, where AWS's pages gave them.
    for control_id, parameters in verified["parameters"].items():
        for name, definition in parameters.items():
            ours = controls[control_id]["parameters"].get(name)
            assert ours is not None, (control_id, name)
            for kind, options in definition["ConfigurationOptions"].items():
                assert kind in ours["ConfigurationOptions"], (control_id, name, kind)
                for key, value in options.items():
                    ours["ConfigurationOptions"][kind].setdefault(key, value)

    definitions = []
    for control_id in sorted(controls, key=natural_key):
        control = controls[control_id]
        # RemediationUrl (https://docs.aws.amazon.com/console/securityhub/<id>/remediation for every
        # control of the export), CurrentRegionAvailability (AVAILABLE) and CustomizableProperties
        # (["Parameters"] when there are ParameterDefinitions) are filled in by the loader,
        # standards_catalog.cc, to keep the embedded file small.
        entry = {
            "SecurityControlId": control_id,
            "Title": control["Title"],
            "Description": control["Description"],
            "SeverityRating": control["severity"],
        }
        if control["parameters"]:
            entry["ParameterDefinitions"] = control["parameters"]
        definitions.append(entry)

    def standard_control(control_id, arn_suffix, security_ids, related):
        # The loader defaults ArnSuffix and SecurityControlIds to the ControlId and
        # RelatedRequirements to []: only what differs is written.
        entry = {"ControlId": control_id}
        if arn_suffix != control_id:
            entry["ArnSuffix"] = arn_suffix
        if security_ids != [control_id]:
            entry["SecurityControlIds"] = security_ids
        if related:
            entry["RelatedRequirements"] = related
        return entry

    def in_export(key):
        return [cid for cid in sorted(controls, key=natural_key) if key in controls[cid]["standards"]]

    members = {standard["key"]: [] for standard in STANDARDS}

    # FSBP: the controls the export lists in the standard, plus those of the current user guide list
    # that are in the catalog. ELB.1 keeps its pre-consolidation standard id (ELBv2.1).
    listed = [line.split("|", 1)[0] for line in read_lines("fsbp_v1.0.0.txt")]
    fsbp = set(in_export("fsbp")) | {cid for cid in listed if cid in controls}
    for control_id in sorted(fsbp, key=natural_key):
        standard_id = verified["fsbp_control_ids"].get(control_id, control_id)
        members["fsbp"].append(standard_control(standard_id, standard_id, [control_id], []))

    # CIS v1.2.0 and v1.4.0: the standard control ids are the requirement numbers of the 2023
    # reference, for the controls the export still lists in the standard.
    for key, id_prefix in (("cis120", "CIS."), ("cis140", "")):
        included = set(in_export(key))
        by_requirement = {}
        for control_id in sorted(included, key=natural_key):
            for number_text in requirements.get(control_id, {}).get(key, []):
                if key == "cis140" and number_text == "2.1.5":
                    # The v1.4.0 standard splits 2.1.5 into 2.1.5.1 (S3.1) and 2.1.5.2 (S3.8).
                    number_text = {"S3.1": "2.1.5.1", "S3.8": "2.1.5.2"}[control_id]
                by_requirement.setdefault(number_text, []).append(control_id)
        for number_text in sorted(by_requirement, key=version_key):
            members[key].append(standard_control(id_prefix + number_text, number_text,
                                                 by_requirement[number_text], []))
        # Controls the export lists in the standard whose requirement number the 2023 reference
        # lacks (S3.20 in CIS v1.4.0): AWS's number was not read, so the security control id stands
        # in for it (a known gap, README.md).
        mapped = {cid for ids in by_requirement.values() for cid in ids}
        for control_id in sorted(included - mapped, key=natural_key):
            members[key].append(standard_control(control_id, control_id, [control_id], []))

    # PCI DSS v3.2.1: the consolidation table's standard control ids, for controls that still exist.
    for line in read_lines("pci_dss_v3.2.1.txt"):
        standard_id, control_id = line.split()
        if control_id not in controls:
            continue  # retired (S3.4)
        related = ["PCI DSS " + req for req in requirements.get(control_id, {}).get("pci321", [])]
        entry = standard_control(standard_id, standard_id, [control_id], related)
        # PCI DSS v3.2.1 controls link their own remediation page (describe-standards-controls
        # example: .../securityhub/PCI.AutoScaling.1/remediation).
        entry["RemediationUrl"] = f"https://docs.aws.amazon.com/console/securityhub/{standard_id}/remediation"
        members["pci321"].append(entry)
    assert {e.get("SecurityControlIds", [e["ControlId"]])[0] for e in members["pci321"]} == set(in_export("pci321"))

    # NIST SP 800-53 Rev. 5: the export's membership; related requirements from the 2023 reference.
    for control_id in in_export("nist"):
        related = ["NIST.800-53.r5 " + req for req in requirements.get(control_id, {}).get("nist", [])]
        members["nist"].append(standard_control(control_id, control_id, [control_id], related))

    # CIS v3.0.0 and PCI DSS v4.0.1: the current user guide lists (the export agrees on CIS v3.0.0;
    # it also has IAM.10 and IAM.13 in PCI DSS v4.0.1, which the newer list no longer has).
    for key, name in (("cis300", "cis_v3.0.0.txt"), ("pci401", "pci_dss_v4.0.1.txt")):
        listed = " ".join(read_lines(name)).split()
        for control_id in sorted(listed, key=natural_key):
            assert control_id in controls, control_id
            members[key].append(standard_control(control_id, control_id, [control_id], []))

    standards = []
    for standard in STANDARDS:
        entry = {name: value for name, value in standard.items() if name not in ("key", "DescriptionSource")}
        entry["StandardsManagedBy"] = {"Company": "AWS", "Product": "Security Hub"}
        entry["Controls"] = members[standard["key"]]
        for control in entry["Controls"]:
            override = verified["standard_controls"].get(standard["Path"] + "/" + control["ControlId"])
            if override:
                control.update(override)
        standards.append(entry)

    catalog = {
        "generated_by": "tools/securityhub_catalog/build.py (see README.md there; do not edit by hand)",
        "standards": standards,
        "controls": definitions,
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(catalog, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    counts = ", ".join(f"{s['key']} {len(members[s['key']])}" for s in STANDARDS)
    print(f"{len(definitions)} security controls; {counts}; {os.path.getsize(OUTPUT)} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Builds src/services/securityhub/catalog.json, the Security Hub standards and security controls
that cairn serves (DescribeStandards, DescribeStandardsControls, ListSecurityControlDefinitions,
GetSecurityControlDefinition), from the research notes beside this script:

  controls_2023.tsv     every control of the Security Hub controls reference as of mid-2023
                        (id, severity, schedule, title, related requirements)
  fsbp_v1.0.0.txt       the current AWS Foundational Security Best Practices list (id, title)
  cis_v3.0.0.txt        the current CIS AWS Foundations Benchmark v3.0.0 list
  pci_dss_v3.2.1.txt    PCI DSS v3.2.1 standard control ids and their security controls
  pci_dss_v4.0.1.txt    the current PCI DSS v4.0.1 list
  verified.json         descriptions, current titles, parameter definitions and per-standard
                        overrides that were read in AWS's own pages or CLI examples

Each file names its source. A control is in the catalog only when its severity is known (the
2023 reference), so no severity or id is made up; see "coverage" in the output.

Usage: python3 tools/securityhub_catalog/build.py  (writes the catalog; deterministic)
"""

import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "..", "src", "services", "securityhub", "catalog.json")

SOURCES = [
    "awsdocs/aws-security-hub-user-guide (archived 2023) doc_source/securityhub-controls-reference.md: "
    "control ids, severities, schedules, titles, related requirements (CIS v1.2.0/v1.4.0, PCI DSS "
    "v3.2.1, NIST SP 800-53 Rev. 5)",
    "awsdocs/aws-security-hub-user-guide doc_source/asff-changes-consolidation.md: standard control "
    "ids of CIS v1.2.0, CIS v1.4.0, PCI DSS v3.2.1 and FSBP and their security controls",
    "Security Hub CSPM User Guide (current, markdown copy): 'AWS Foundational Security Best "
    "Practices standard', 'CIS AWS Foundations Benchmark in Security Hub CSPM', 'PCI DSS in "
    "Security Hub CSPM' control lists and titles; control pages of IAM, ACM, API Gateway, Config, "
    "ELB, Redshift, Secrets Manager for descriptions and parameter tables",
    "AWS CLI examples securityhub/describe-standards.rst, describe-standards-controls.rst, "
    "list-security-control-definitions.rst, get-security-control-definition.rst: standards' "
    "names, descriptions and ARNs, standard-control shapes, ACM.1/ACM.2 definitions",
]

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

REQ_PREFIX = {"C12": "cis120", "C14": "cis140", "P": "pci321", "N": "nist"}


def natural_key(control_id):
    """ACM.1 < ACM.2 < ACM.10: service (byte order, as AWS lists them), then the number parts."""
    service, _, rest = control_id.partition(".")
    return (service, [int(part) if part.isdigit() else part for part in re.split(r"[.]", rest)])


def version_key(text):
    return [int(part) for part in text.split(".")]


def read_lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]


def main():
    with open(os.path.join(HERE, "verified.json"), encoding="utf-8") as f:
        verified = json.load(f)

    controls = {}
    requirements = {}  # control id -> {standard key -> [requirement]}
    for line in read_lines("controls_2023.tsv"):
        control_id, severity, _schedule, title, reqs = line.split("|")
        controls[control_id] = {"SecurityControlId": control_id, "Title": title, "SeverityRating": severity}
        per_standard = requirements.setdefault(control_id, {})
        for req in reqs.split(","):
            prefix, _, value = req.partition(":")
            per_standard.setdefault(REQ_PREFIX[prefix], []).append(value)

    fsbp = []
    for line in read_lines("fsbp_v1.0.0.txt"):
        control_id, title = line.split("|", 1)
        fsbp.append(control_id)
        if control_id in controls:
            controls[control_id]["Title"] = title
    for control_id, title in verified["titles"].items():
        controls[control_id]["Title"] = title

    for control_id, control in controls.items():
        control["Description"] = verified["descriptions"].get(control_id, control["Title"])
        control["RemediationUrl"] = f"https://docs.aws.amazon.com/console/securityhub/{control_id}/remediation"
        control["CurrentRegionAvailability"] = "AVAILABLE"
        parameters = verified["parameters"].get(control_id)
        control["CustomizableProperties"] = ["Parameters"] if parameters else []
        if parameters:
            control["ParameterDefinitions"] = parameters

    def standard_control(control_id, arn_suffix, security_ids, related):
        return {"ControlId": control_id, "ArnSuffix": arn_suffix, "SecurityControlIds": security_ids,
                "RelatedRequirements": related}

    members = {standard["key"]: [] for standard in STANDARDS}
    # FSBP: the current list, where the control is in the catalog. ELB.1 keeps its pre-consolidation
    # standard id (ELBv2.1) in the standard.
    for control_id in fsbp:
        if control_id in controls:
            standard_id = verified["fsbp_control_ids"].get(control_id, control_id)
            members["fsbp"].append(standard_control(standard_id, standard_id, [control_id], []))
    # CIS v1.2.0 and v1.4.0: the standard control ids are the requirement numbers; one requirement
    # can be checked by two security controls (v1.2.0 1.1: CloudWatch.1 and IAM.20).
    for key, id_prefix in (("cis120", "CIS."), ("cis140", "")):
        by_requirement = {}
        for control_id in sorted(controls, key=natural_key):
            for number in requirements[control_id].get(key, []):
                if key == "cis140" and number == "2.1.5":
                    # The v1.4.0 standard splits 2.1.5 into 2.1.5.1 (S3.1) and 2.1.5.2 (S3.8).
                    number = {"S3.1": "2.1.5.1", "S3.8": "2.1.5.2"}[control_id]
                by_requirement.setdefault(number, []).append(control_id)
        for number in sorted(by_requirement, key=version_key):
            members[key].append(standard_control(id_prefix + number, number, by_requirement[number], []))
    for line in read_lines("pci_dss_v3.2.1.txt"):
        standard_id, control_id = line.split()
        related = ["PCI DSS " + req for req in requirements[control_id].get("pci321", [])]
        entry = standard_control(standard_id, standard_id, [control_id], related)
        # PCI DSS v3.2.1 controls link their own remediation page (describe-standards-controls
        # example: .../securityhub/PCI.AutoScaling.1/remediation).
        entry["RemediationUrl"] = f"https://docs.aws.amazon.com/console/securityhub/{standard_id}/remediation"
        members["pci321"].append(entry)
    for control_id in sorted(controls, key=natural_key):
        nist = requirements[control_id].get("nist")
        if nist:
            related = ["NIST.800-53.r5 " + req for req in nist]
            members["nist"].append(standard_control(control_id, control_id, [control_id], related))
    for key, name in (("cis300", "cis_v3.0.0.txt"), ("pci401", "pci_dss_v4.0.1.txt")):
        listed = " ".join(read_lines(name)).split()
        for control_id in sorted(listed, key=natural_key):
            if control_id in controls:
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

    fsbp_covered = len(members["fsbp"])
    catalog = {
        "generated_by": "tools/securityhub_catalog/build.py from the research notes in "
        "tools/securityhub_catalog/ (do not edit by hand)",
        "sources": SOURCES,
        "coverage": (
            f"{len(controls)} security controls (every control of the 2023 controls reference; ids, "
            f"severities and titles from AWS documentation, titles updated to the current guide where "
            f"it was read). FSBP: {fsbp_covered} of the {len(fsbp)} controls of the current list (the "
            f"others were added after 2023 and their severity was not verified). CIS v3.0.0: "
            f"{len(members['cis300'])} of 37; PCI DSS v4.0.1: {len(members['pci401'])} of "
            f"{len(' '.join(read_lines('pci_dss_v4.0.1.txt')).split())}; NIST SP 800-53 Rev. 5: the "
            f"{len(members['nist'])} catalog controls with NIST requirements; CIS v1.2.0, CIS v1.4.0 and "
            f"PCI DSS v3.2.1: complete as of 2023."
        ),
        "notes": [
            "Description is AWS's text for the controls listed in verified.json; for the others it repeats "
            "the title (AWS's description was not read).",
            "ParameterDefinitions are AWS's for the controls listed in verified.json; other controls that "
            "AWS lets you customize (e.g. CloudWatch.16, EC2.18, EKS.2, Lambda.2) carry none here.",
            "CurrentRegionAvailability is AVAILABLE everywhere; AWS varies it by Region.",
            "Standards' descriptions of CIS v1.4.0, CIS v3.0.0, NIST SP 800-53 Rev. 5 and PCI DSS v4.0.1 "
            "are derived from AWS's pattern, not seen verbatim.",
            "Standard controls: ControlId/ArnSuffix as AWS names them (CIS v1.2.0 'CIS.1.1' with ARN "
            "suffix '1.1', PCI DSS v3.2.1 'PCI.CW.1', FSBP 'ELBv2.1'); standards launched after "
            "consolidated controls (NIST, CIS v3.0.0, PCI DSS v4.0.1) use the security control id. "
            "RelatedRequirements are filled for PCI DSS v3.2.1 ('PCI DSS 2.2') and NIST ('NIST.800-53.r5 "
            "AC-2'); Title, Description and SeverityRating default to the security control's.",
        ],
        "standards": standards,
        "controls": [controls[control_id] for control_id in sorted(controls, key=natural_key)],
    }
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(catalog, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()

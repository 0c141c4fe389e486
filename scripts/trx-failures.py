#!/usr/bin/env python3
"""Prints each failed test of a trx file on one line: its name, then the first lines of its failure message.

Used by scripts/test.sh for the summary at the end of a run, which is often all a CI log keeps.
"""
import sys
import xml.etree.ElementTree as ET

MESSAGE_LINES = 6
MESSAGE_CHARS = 600


def local(tag):
    return tag.rsplit("}", 1)[-1]


def main(path):
    root = ET.parse(path).getroot()
    for result in root.iter():
        if local(result.tag) != "UnitTestResult" or result.get("outcome") != "Failed":
            continue
        message = ""
        for element in result.iter():
            if local(element.tag) == "Message" and element.text:
                message = element.text
                break
        lines = [line.strip() for line in message.strip().splitlines() if line.strip()][:MESSAGE_LINES]
        summary = " | ".join(lines)[:MESSAGE_CHARS]
        print(f"{result.get('testName')}" + (f" -- {summary}" if summary else ""))


if __name__ == "__main__":
    main(sys.argv[1])

"""Hostile inputs for the masker, generated: text built to make a backtracking pattern retry
from every position, and a small Terraform file whose locals double a string."""

from __future__ import annotations

#: Length of each adversarial value, as the issue measured it.
LONG = 200_000

#: Fragments that each start (or almost complete) one of the masker's patterns, repeated
#: without ever completing it: a scheme and user without ``@``, header and flag names without
#: a value, token prefixes without their tail, a PEM header without its end.
FRAGMENTS = {
    "letters": "a",
    "url heads without @": "a://b:",
    "collapsed url heads": "a:/b:",
    "url heads, ports and paths": "x:/b:1/",
    "header names": "a:Bearer ",
    "flag names": "--a",
    "flags with =": "--a=",
    "unterminated quotes after flags": '--a "',
    "-u users without a colon": "a.-u",
    "-p flags": "-p ",
    "pairs": "a=b&",
    "JWT heads": "-eyJ",
    "GitLab prefixes": "-glpat-",
    "Stripe prefixes": "sk_live_",
    "PEM headers": "-----BEGIN PRIVATE KEY-----",
    "GitHub prefixes": "ghp_",
    "GitHub fine-grained prefixes": "-github_pat_",
    "AWS key prefixes": "AKIA",
    "Slack prefixes": "-xoxb-",
    "Google prefixes": "-AIza",
    "OAuth prefixes": "-ya29.",
    "npm prefixes": "npm_",
    "PyPI prefixes": "-pypi-AgE",
    "SendGrid prefixes": "-SG.",
    "digests": "@sha256:",
    "variable references": "${a}",
    "positions": "1:",
    "port ranges after -p": "-p 1-9:1-9 ",
    "assignments": "ENV a=",
    "cloud paths": "projects/",
    "network ranges": "10.0.",
    "mixed word parts": "aA1-",
    "dotted words": "a.",
    "at signs": "a@",
    "spaces": " ",
}


def adversarial(fragment: str, length: int = LONG) -> str:
    """``fragment`` repeated to ``length`` characters."""
    return (fragment * (length // len(fragment) + 1))[:length]


def doubling_terraform(start: str = "aA1-aA1-", times: int = 40) -> str:
    """About 1.5 KB of Terraform whose locals double ``start`` ``times`` times; the evaluator
    stops each value at its size limit, so the tree holds values of up to a megabyte."""
    lines = ["locals {", f'  s0 = "{start}"']
    lines += [f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, times + 1)]
    lines += ["}", "", 'resource "aws_instance" "web" {', f"  user_data = local.s{times}",
              "  tags = {", "    Name = local.s16", "  }", "}", ""]
    return "\n".join(lines)

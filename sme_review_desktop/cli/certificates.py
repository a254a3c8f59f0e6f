"""CLI: certificates: verify the content of a certificate's QR code against the register."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from sme_review_desktop.cli.common import iso_date, leaf, open_store


def cmd_certificate_verify(args: argparse.Namespace) -> int:
    """Always JSON (a check's answer is read by programs as often as by people); exit 0 for a
    genuine certificate, whatever its status, 1 for anything else."""
    from sme_review_desktop.exports.cert_verify import verify

    result = verify(open_store(args), args.text, args.date or date.today())
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["valid"] else 1


def add_commands(sub: Any) -> None:
    cert = sub.add_parser("certificate", help="证书 certificates")
    csub = cert.add_subparsers(title="certificate commands", metavar="WHAT", required=True)
    p = leaf(
        csub,
        cmd_certificate_verify,
        "verify",
        help="核验证书二维码内容 verify a certificate's QR text (JSON; exit 1 if not genuine)",
    )
    p.add_argument("text", metavar="TEXT", help="二维码内容（或含核验码的网址） the QR's text")
    p.add_argument("--date", type=iso_date, help="核验日期 status as of YYYY-MM-DD (default today)")

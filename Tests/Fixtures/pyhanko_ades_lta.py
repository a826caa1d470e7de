"""AdES long-term validation of a PDF's first signature with pyHanko (ETSI EN 319 102-1, with
the document time-stamps as its evidence), printing one JSON object.

    python pyhanko_ades_lta.py FILE.pdf TRUST_ROOT.pem [--at ISO8601]

Nothing is fetched: revocation data comes from the document only, and is required. With --at,
the validation is run as at that time (for a time after the signer's certificate expired).
"""
import asyncio
import json
import sys
from datetime import datetime

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager


async def main(path: str, root: str, at: datetime | None) -> None:
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[load_cert_from_pemder(root)]),
        revinfo_policy=CertRevTrustPolicy(revocation_checking_policy=REQUIRE_REVINFO),
    )
    spec = PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=policy,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY),
    ))
    timing = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=False) if at else None
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        signature = reader.embedded_regular_signatures[0]
        result = await ades_lta_validation(signature, spec, timing_info=timing)
    print(json.dumps({
        "subindication": str(result.ades_subindic),
        "passed": result.ades_subindic.status.name == "PASSED",
        "bottomLine": bool(result.api_status and result.api_status.bottom_line),
        "bestSignatureTime": result.best_signature_time.isoformat() if result.best_signature_time else None,
    }))


if __name__ == "__main__":
    arguments = sys.argv[1:]
    moment = None
    if "--at" in arguments:
        index = arguments.index("--at")
        moment = datetime.fromisoformat(arguments[index + 1].replace("Z", "+00:00"))
        del arguments[index:index + 2]
    asyncio.run(main(arguments[0], arguments[1], moment))

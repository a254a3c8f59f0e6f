"""The register of certified platforms (示范平台名录) across rounds: validity, reports due,
complaints, revocation, and the re-application bar."""

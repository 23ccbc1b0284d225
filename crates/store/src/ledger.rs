//! The vendor's ledger (written by the issuer work).

//! licdesk-issuer

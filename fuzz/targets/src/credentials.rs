//! Targets of the signed credentials: the card credential read from a chip (SPEC.md §5) and the
//! QR text a scanner types (SPEC.md §6).

use asxh_core::credential::MAX_CREDENTIAL_LEN;
use asxh_core::envelope::{Envelope, Profile};
use asxh_core::qr::{MAX_QR_LEN, QR_PREFIX};
use asxh_core::signature;
use asxh_core::tlv;
use asxh_core::view::{CredentialView, EntitlementView};
use asxh_core::{CredentialBody, QrBody, SignedCredential, SignedQr};

use crate::fixtures::keys;

/// Card credential bytes (GET DATA `7F21`). When the envelope parses it re-encodes to the same
/// bytes; when the body decodes, it re-encodes to the same body, its card binding names the same
/// serial and key, and its JSON view converts back. Verification with the issuer key never
/// panics.
pub fn card_credential(data: &[u8]) {
    let Ok(signed) = SignedCredential::parse(data) else {
        return;
    };
    let envelope = Envelope::parse(data, Profile::CardV1, MAX_CREDENTIAL_LEN)
        .expect("the envelope SignedCredential::parse accepted parses");
    assert_eq!(
        envelope.to_bytes(),
        data,
        "an accepted envelope re-encodes to its bytes"
    );
    let key_id = signed.issuer_key_id();
    let binding = signed.card_binding();
    if let Ok(body) = signed.unverified_body() {
        assert_eq!(
            tlv::encode(&body.to_tlv()),
            tlv::encode(envelope.body()),
            "a decoded credential body re-encodes to its bytes"
        );
        assert_eq!(key_id.ok(), Some(body.issuer_key_id));
        let (serial, card_key) = binding.expect("a body that decodes has a card binding");
        assert_eq!(serial, body.serial);
        assert_eq!(card_key, signature::public_key_bytes(&body.card_public_key));
        check_card_view(&body);
    }
    let _ = signed.verify(keys().issuer.verifying_key());
}

fn check_card_view(body: &CredentialBody) {
    let view = CredentialView::from(body);
    for (entitlement, view) in body.entitlements().iter().zip(&view.entitlements) {
        assert_eq!(
            &view
                .to_entitlement()
                .expect("the view of an entitlement converts back"),
            entitlement
        );
    }
    serde_json::to_string(&view).expect("a credential view is JSON");
}

/// QR text as a scanner types it. The input is tried twice: as text (when it is UTF-8), and as
/// the envelope bytes inside a well-formed `ASXH1:` + base45 text. An accepted envelope
/// re-encodes to its bytes and a decoded body to its body; a text accepted in upper case is
/// accepted in lower case too (keyboard-wedge scanners change case).
pub fn qr_text(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(signed) = SignedQr::parse(text) {
            let _ = signed.issuer_key_id();
            let _ = signed.verify(keys().issuer.verifying_key());
        }
    }
    let text = format!("{QR_PREFIX}{}", base45::encode(data));
    let envelope = Envelope::parse(data, Profile::QrV1, MAX_QR_LEN);
    let parsed = SignedQr::parse(&text);
    assert_eq!(
        parsed.is_ok(),
        envelope.is_ok(),
        "the QR text parses exactly when the envelope inside it does"
    );
    assert_eq!(
        SignedQr::parse(&text.to_ascii_lowercase()).is_ok(),
        parsed.is_ok(),
        "case does not change whether a QR text parses"
    );
    let Ok(envelope) = envelope else {
        return;
    };
    assert_eq!(
        envelope.to_bytes(),
        data,
        "an accepted envelope re-encodes to its bytes"
    );
    if let Ok(body) = QrBody::from_tlv(envelope.body()) {
        assert_eq!(
            tlv::encode(&body.to_tlv()),
            tlv::encode(envelope.body()),
            "a decoded QR body re-encodes to its bytes"
        );
        let view = CredentialView::from(&body);
        assert_eq!(view.entitlements.len(), body.entitlements.len());
        for (entitlement, view) in body.entitlements.iter().zip(&view.entitlements) {
            assert_eq!(&EntitlementView::from(entitlement), view);
            // A QR entitlement lacks fields a card entitlement needs: converting may fail, but
            // never panics.
            let _ = view.to_entitlement();
        }
        serde_json::to_string(&view).expect("a credential view is JSON");
    }
    let _ = parsed
        .expect("checked above")
        .verify(keys().issuer.verifying_key());
}

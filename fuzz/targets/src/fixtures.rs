//! What the targets build once per process: the test keys of `firmware-spec/vectors` (so that
//! the vectors are good seeds) and the stored state of a card in each life-cycle state.

use std::sync::OnceLock;

use asxh_card::{CardApp, MemoryStorage, Storage};
use asxh_core::card::{AdminCode, CardClient, InProcessTransport, LifeCycle, Pin, PinCheck};
use asxh_core::signature::SigningKey;
use asxh_core::Credential;
use asxh_testkit as testkit;
use asxh_testkit::test_key;
use rand_core::SeedableRng;

/// The signing keys of the test vectors.
pub struct Keys {
    /// The issuer key of credentials and QR texts ("asxh test issuer 1").
    pub issuer: SigningKey,
    /// The root key that signs trust lists ("asxh test root").
    pub root: SigningKey,
    /// The revocation-list key ("asxh test revocation list").
    pub list: SigningKey,
    /// The payment-roll key ("asxh test payment roll").
    pub roll: SigningKey,
}

/// The keys, derived once.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| Keys {
        issuer: testkit::issuer_key(),
        root: test_key("asxh test root"),
        list: test_key("asxh test revocation list"),
        roll: testkit::roll_key(),
    })
}

/// The PIN of the issued fixture cards.
pub const PIN: &str = "2468";

/// A card's stored state in one life-cycle state.
pub struct CardFixture {
    pub name: &'static str,
    /// The state record (`None`: a blank card never written).
    pub record: Option<Vec<u8>>,
    pub life_cycle: LifeCycle,
}

impl CardFixture {
    /// A fresh card with this record and a reproducible random generator.
    pub fn open(&self) -> CardApp<MemoryStorage> {
        let mut storage = MemoryStorage::new();
        if let Some(record) = &self.record {
            storage.store(record).expect("memory storage cannot fail");
        }
        let rng = rand_chacha::ChaCha20Rng::seed_from_u64(CARD_SEED);
        CardApp::open_with_rng(storage, Box::new(rng)).expect("a fixture record loads")
    }
}

const CARD_SEED: u64 = 0x4153_5848;

fn fixture(name: &'static str, card: &CardApp<MemoryStorage>) -> CardFixture {
    CardFixture {
        name,
        record: Some(card.persistent_state().encode()),
        life_cycle: card.life_cycle(),
    }
}

/// Runs `f` with a client of `card`, which must succeed (fixtures are built from known steps).
fn with_client(
    card: &mut CardApp<MemoryStorage>,
    f: impl FnOnce(
        &mut CardClient<InProcessTransport<&mut CardApp<MemoryStorage>>>,
    ) -> Result<(), asxh_core::card::CardIoError>,
) {
    let mut client = CardClient::new(InProcessTransport::new(card));
    f(&mut client).expect("fixture card step");
}

fn issued() -> CardApp<MemoryStorage> {
    let mut card = testkit::deterministic_card(CARD_SEED);
    let pin = Pin::parse(PIN).expect("pin");
    with_client(&mut card, |c| {
        testkit::personalize(
            c,
            &keys().issuer,
            4242,
            testkit::sample_holder(),
            testkit::entitlements(2),
            Some(&pin),
        )
        .map(drop)
    });
    card
}

/// A card in each life-cycle state the card application can reach: blank, personalizing (key
/// generated and credential written, not locked), issued with a PIN, issued with its PIN
/// blocked, blocked by the office, and terminated.
pub fn cards() -> &'static [CardFixture] {
    static CARDS: OnceLock<Vec<CardFixture>> = OnceLock::new();
    CARDS.get_or_init(|| {
        let blank = CardFixture {
            name: "blank",
            record: None,
            life_cycle: LifeCycle::Blank,
        };

        let mut personalizing = testkit::deterministic_card(CARD_SEED);
        with_client(&mut personalizing, |c| {
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            let card_key = c.generate_key()?;
            let body = testkit::credential_body(
                4243,
                testkit::sample_holder(),
                &card_key,
                &keys().issuer,
                testkit::entitlements(1),
            );
            c.put_credential(Credential::issue(body, &keys().issuer)?.to_bytes())
        });

        let issued_card = issued();

        let mut pin_blocked = issued();
        with_client(&mut pin_blocked, |c| {
            c.select()?;
            let wrong = Pin::parse("1357").expect("pin");
            while c.verify_pin(&wrong)? != PinCheck::Blocked {}
            Ok(())
        });

        let mut office_blocked = issued();
        with_client(&mut office_blocked, |c| {
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            c.deactivate()
        });

        let mut terminated = issued();
        with_client(&mut terminated, |c| {
            c.select()?;
            c.verify_admin(&AdminCode::factory_default())?;
            c.terminate()
        });

        vec![
            blank,
            fixture("personalizing", &personalizing),
            fixture("issued", &issued_card),
            fixture("issued, PIN blocked", &pin_blocked),
            fixture("blocked", &office_blocked),
            fixture("terminated", &terminated),
        ]
    })
}

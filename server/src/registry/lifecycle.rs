//! A card's life on the server, as one `match`: which change may happen to a card in which
//! status, and what status it leaves. (The card application's own life cycle is SPEC.md §8; this
//! is the registry's record of the card.)

use asxh_api::CardStatus;

/// What can happen to a card in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardChange {
    /// The office wrote, locked and read back the card.
    Activate,
    /// Personalization failed: the card was never used.
    Void,
    /// By an administrator, the operator, or a replacement.
    Revoke,
    /// An administrator starts a replacement (the card keeps its status; a lost or stolen card is
    /// then revoked, a separate change).
    Replace,
}

impl CardChange {
    /// The status the change aims at (a repeated activation or void of a card already there
    /// is accepted as done).
    pub fn target(self) -> CardStatus {
        match self {
            CardChange::Activate | CardChange::Replace => CardStatus::Active,
            CardChange::Void => CardStatus::Void,
            CardChange::Revoke => CardStatus::Revoked,
        }
    }
}

/// The status after `change`, or `None` when a card in `status` cannot have it.
pub fn after(status: CardStatus, change: CardChange) -> Option<CardStatus> {
    use CardStatus::*;
    match (status, change) {
        (Pending, CardChange::Activate) => Some(Active),
        (Pending, CardChange::Void) => Some(Void),
        (Pending | Active, CardChange::Revoke) => Some(Revoked),
        (Active, CardChange::Replace) => Some(Active),
        (Active | Void | Revoked, CardChange::Activate | CardChange::Void)
        | (Void | Revoked, CardChange::Revoke)
        | (Pending | Void | Revoked, CardChange::Replace) => None,
    }
}

/// Whether a card in `status` can have `change`.
pub fn allows(status: CardStatus, change: CardChange) -> bool {
    after(status, change).is_some()
}

/// Whether a card in `status` counts as the SSN's live card (at most one per SSN; the SQL of
/// `cards_one_live_per_ssn` says the same).
pub fn is_live(status: CardStatus) -> bool {
    matches!(status, CardStatus::Pending | CardStatus::Active)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pending_card_is_activated_or_voided_and_a_void_card_is_never_revoked() {
        use CardStatus::*;
        let table: Vec<(CardStatus, CardChange, Option<CardStatus>)> = CardStatus::ALL
            .into_iter()
            .flat_map(|s| {
                [
                    CardChange::Activate,
                    CardChange::Void,
                    CardChange::Revoke,
                    CardChange::Replace,
                ]
                .map(|c| (s, c, after(s, c)))
            })
            .filter(|(_, _, next)| next.is_some())
            .collect();
        assert_eq!(
            table,
            vec![
                (Pending, CardChange::Activate, Some(Active)),
                (Pending, CardChange::Void, Some(Void)),
                (Pending, CardChange::Revoke, Some(Revoked)),
                (Active, CardChange::Revoke, Some(Revoked)),
                (Active, CardChange::Replace, Some(Active)),
            ]
        );
        assert_eq!(
            CardStatus::ALL.into_iter().filter(|s| is_live(*s)).count(),
            2
        );
    }
}

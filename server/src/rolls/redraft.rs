//! Keeping the published rolls true to the register (SPEC.md §17.3). Every change the register
//! makes to what a beneficiary is paid leaves the area it concerns in `roll_changes` (triggers of
//! schema 10: a decision recorded, suspended, resumed or stopped, a recipient changed, a move, a
//! household member, a base level; of schema 12: a payment method, a bank's transfer result).
//! The serving server drafts again, from the register, every roll still served (the month
//! before this one and later) that covers such an area: a draft that only reduces what the roll
//! pays (a death, a suspension) is published at once, so the payment points refuse it after one
//! sync; one that pays more (a higher base level, a new decision) waits for an administrator's
//! approval like any draft. A payment recorded leaves its roll's area there too: the lines its
//! receipt paid are published as paid first, on the published roll, at once (a reduction).

use asxh_api::rolls::RollDraft;
use asxh_core::lists::Month;
use asxh_core::{AreaCode, Date};

use super::{draft_as, Entries};
use crate::error::Result;
use crate::store::Store;

/// Who the audit log names for a draft the server makes after a change in the register.
pub const ACTOR: &str = "server (register change)";

/// Who the audit log names for the publication of the paid marks of receipts.
pub const PAYMENTS_ACTOR: &str = "server (payments)";

/// The first month whose roll is still served on `today`: the month before.
fn served_from(today: Date) -> Result<Month> {
    Ok(Month::from_index(
        "month",
        u64::from(Month::of(today).index().saturating_sub(1)),
    )?)
}

/// Whether a change concerning `changed` (`None`: everywhere) concerns the roll of `roll`: one
/// area is within the other.
fn overlaps(roll: &AreaCode, changed: Option<&AreaCode>) -> bool {
    changed.is_none_or(|c| c.contains(roll) || roll.contains(c))
}

/// Drafts again every roll still served (the month before `today`'s and later, SPEC.md §17.3)
/// whose area overlaps a change the register left, then forgets the changes it read. The month
/// before is among them: a receipt paid on 2 July for June, a bank result of June's transfers,
/// reach June's roll, which the payment points still hold. Returns the drafts made (published at once when
/// they only reduce); a roll the changes leave as it is gets no draft, and one that cannot be
/// drafted is logged as an error.
pub fn after_register_changes(store: &Store, today: Date) -> Result<Vec<RollDraft>> {
    let (last, changed, rolls) = store.read(|c| {
        let mut changes = c.prepare_cached("SELECT id, area FROM roll_changes ORDER BY id")?;
        let changes: Vec<(i64, String)> = changes
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut rolls = c.prepare_cached("SELECT area, month FROM rolls WHERE month >= ?1")?;
        let rolls: Vec<(String, String)> = rolls
            .query_map([served_from(today)?.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok((changes.last().map(|(id, _)| *id), changes, rolls))
    })?;
    let Some(last) = last else {
        return Ok(Vec::new());
    };
    // '' (a national base level) concerns every roll.
    let changed: Vec<Option<AreaCode>> = changed
        .iter()
        .map(|(_, a)| AreaCode::parse(a).ok())
        .collect();
    let mut drafts = Vec::new();
    for (area, month) in rolls {
        let (area, month) = (AreaCode::parse(&area)?, Month::parse("month", &month)?);
        if changed.iter().any(|c| overlaps(&area, c.as_ref())) {
            // One roll that cannot be drafted (a decision whose program has no base level in
            // force) does not hold back the others. It is logged and left as published, to be
            // drafted by hand; trying it again every second would supersede the others' drafts
            // waiting for approval every second too.
            // The lines paid since are published first, on the published roll: a paid mark
            // only reduces, and must reach the other points even while a draft that pays more
            // waits for approval (that draft is made again just below, against the new version).
            match draft_as(
                store,
                PAYMENTS_ACTOR,
                &area,
                month,
                Entries::PublishedWithPaidMarks,
                true,
            ) {
                Ok(draft) => drafts.extend(draft),
                Err(e) => {
                    tracing::error!(%area, %month, error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogPaidMarksFailed))
                }
            }
            match draft_as(store, ACTOR, &area, month, Entries::Register, true) {
                Ok(draft) => drafts.extend(draft),
                Err(e) => {
                    tracing::error!(%area, %month, error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogRedraftByHand))
                }
            }
        }
    }
    store.write(|tx| {
        tx.prepare_cached("DELETE FROM roll_changes WHERE id <= ?1")?
            .execute([last])?;
        Ok(())
    })?;
    Ok(drafts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rolls_drafted_again_start_with_the_month_before_todays() {
        let day = Date::parse("d", "2027-01-02").unwrap();
        assert_eq!(
            served_from(day).unwrap(),
            Month::parse("m", "2026-12").unwrap()
        );
    }

    #[test]
    fn a_change_concerns_the_rolls_of_the_areas_it_is_in_and_of_those_in_it() {
        let commune = AreaCode::parse("51.429.22903").unwrap();
        let province = AreaCode::parse("51").unwrap();
        let other = AreaCode::parse("79.760.26734").unwrap();
        assert!(overlaps(&commune, Some(&commune)));
        assert!(overlaps(&commune, Some(&province)));
        assert!(overlaps(&province, Some(&commune)));
        assert!(!overlaps(&other, Some(&province)));
        assert!(overlaps(&other, None));
    }
}

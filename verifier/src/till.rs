//! Paying the card that is in a reader, the one way `pay`, `watch --pay` and the counter page
//! all pay: connect to the reader, verify and pay in one card session ([`pay::pay_card`]), and
//! journal a reader that cannot be reached as a verdict. [`Till`] is what the watch loop hands
//! its screen while a card is in (or the reader is empty), with the lines the screen shows:
//! the roll's lines of the holder, each with whether this point already paid it.

use asxh_core::card::{CardClient, CardReader, Pin};
use asxh_core::lists::RollItem;
use asxh_core::Ssn;
use asxh_text::Lang;
use asxh_verdict::roll::PaymentLine;
use asxh_verdict::{Policy, Verdict};

use crate::error::Result;
use crate::pay::{self, CollectorChoice, FallbackEvidence, LineChoice, PayOutcome, PayRequest};
use crate::store::{PaidHere, Snapshot, Store};

/// Connects to the card in `reader` and pays it as `request` asks ([`pay::pay_card`]); a reader
/// that cannot be reached is journalled and answered as a verdict, nothing paid.
pub fn pay_in_reader(
    store: &mut Store,
    snapshot: &Snapshot,
    policy: Policy,
    reader: &mut dyn CardReader,
    pin: Option<&Pin>,
    request: &PayRequest,
    lang: Lang,
) -> Result<PayOutcome> {
    match reader.connect(asxh_verdict::check::CONNECT_WAIT) {
        Ok(transport) => pay::pay_card(
            store,
            snapshot,
            policy,
            &mut CardClient::new(transport),
            pin,
            request,
            lang,
        ),
        Err(e) => {
            let verdict = snapshot.checker(policy).card_failure(
                asxh_verdict::Outcome::ReaderError,
                asxh_verdict::Finding::ReaderUnavailable {
                    detail: e.to_string(),
                },
            );
            let point_id = store.config()?.point_id;
            crate::journal(store, &point_id, &verdict, request.journal_holder)?;
            Ok(PayOutcome::NotVerified(Box::new(verdict)))
        }
    }
}

/// One of the holder's lines on the roll as the screen shows it.
#[derive(Debug, Clone)]
pub struct LineState {
    /// Its number (its place in the roll entry, from 1), as `pay --lines` takes it.
    pub number: usize,
    pub line: PaymentLine,
    pub item: RollItem,
    /// This point paid it already.
    pub paid_here: Option<PaidHere>,
}

impl LineState {
    /// Whether it may be paid now: due on the roll, in force on the card, not paid here.
    pub fn payable(&self) -> bool {
        self.line.payable && self.paid_here.is_none()
    }
}

/// What the loop lends its screen: the point's store, the lists the card was verified with and
/// the reader, to pay the card that is in.
pub struct Till<'a> {
    pub store: &'a mut Store,
    pub snapshot: &'a Snapshot,
    pub reader: &'a mut dyn CardReader,
    pub policy: Policy,
    pub journal_holder: bool,
}

impl Till<'_> {
    /// Pays the card in the reader ([`pay_in_reader`]).
    pub fn pay(
        &mut self,
        lines: LineChoice,
        collector: CollectorChoice,
        lang: Lang,
    ) -> Result<PayOutcome> {
        let request = PayRequest {
            lines,
            collector,
            journal_holder: self.journal_holder,
        };
        pay_in_reader(
            self.store,
            self.snapshot,
            self.policy,
            self.reader,
            None,
            &request,
            lang,
        )
    }

    /// Pays `ssn` on a receipt the point signs ([`pay::pay_fallback`]).
    pub fn pay_fallback(
        &mut self,
        ssn: Ssn,
        evidence: &FallbackEvidence,
        lines: LineChoice,
        collector: CollectorChoice,
        lang: Lang,
    ) -> Result<PayOutcome> {
        let request = PayRequest {
            lines,
            collector,
            journal_holder: self.journal_holder,
        };
        pay::pay_fallback(
            self.store,
            self.snapshot,
            self.policy,
            ssn,
            evidence,
            &request,
            lang,
        )
    }

    /// The roll's lines of the holder `verdict` names ([`lines_of`]).
    pub fn lines(&self, verdict: &Verdict) -> Result<Vec<LineState>> {
        lines_of(self.store, self.snapshot, verdict)
    }
}

/// The lines of the verdict's holder on the roll the verdict was judged with, each with whether
/// this point already paid it (empty without a roll, a holder, or an entry for the holder).
pub fn lines_of(store: &Store, snapshot: &Snapshot, verdict: &Verdict) -> Result<Vec<LineState>> {
    let (Some(roll), Some(holder)) = (snapshot.roll.as_ref(), verdict.holder.as_ref()) else {
        return Ok(Vec::new());
    };
    let Ok(ssn) = Ssn::parse(&holder.ssn) else {
        return Ok(Vec::new());
    };
    let Some(views) = roll.lookup(ssn) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(verdict.lines.len());
    for (i, (line, view)) in verdict.lines.iter().zip(views.iter()).enumerate() {
        out.push(LineState {
            number: i + 1,
            line: line.clone(),
            item: view.item.clone(),
            paid_here: store.paid_here(&holder.ssn, roll.header.month, view.item)?,
        });
    }
    Ok(out)
}

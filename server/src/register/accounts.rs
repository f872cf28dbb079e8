//! Payment into an account (chi trả qua tài khoản) instead of at the counter: the bank or
//! e-wallet, the account's number and holder, and whose account it is. Set, changed and ended
//! (back to the counter) like a recipient: the one replaced is kept with the day it was
//! replaced, every change is in the entitlement's history and the audit log, and it leaves the
//! area in `roll_changes` (schema 12), so the rolls are drafted again: a line paid into an
//! account is `paid_by_account` (`04`) in the roll, which the payment points refuse to pay.

use rusqlite::{params, OptionalExtension, Transaction};

use super::events::{entitlement_area, record_change, Change};
use crate::clock::now;
use crate::error::{Result, ServerError};
use crate::policy::{act, Authorized};
use crate::store::Store;

/// A bank account, or an e-wallet (ví điện tử).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    Bank,
    Ewallet,
}

/// Whose account it is: the beneficiary's own, or their recipient's (a guardian's, an
/// authorised person's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountOwner {
    Holder,
    Recipient,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Bank => "bank",
            AccountKind::Ewallet => "ewallet",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "bank" => Ok(AccountKind::Bank),
            "ewallet" => Ok(AccountKind::Ewallet),
            other => Err(ServerError::invalid(
                "account.kind",
                format!("{other:?} is not bank or ewallet"),
            )),
        }
    }
}

impl AccountOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountOwner::Holder => "holder",
            AccountOwner::Recipient => "recipient",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text.trim() {
            "holder" => Ok(AccountOwner::Holder),
            "recipient" => Ok(AccountOwner::Recipient),
            other => Err(ServerError::invalid(
                "account.owner",
                format!("{other:?} is not holder or recipient"),
            )),
        }
    }
}

/// The account an entitlement is paid into, each field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentAccount {
    pub kind: AccountKind,
    /// The bank's or the e-wallet's name, as the province writes it (Agribank, VNPT Money).
    pub provider: String,
    /// 6 to 20 digits.
    pub account_no: String,
    pub holder_name: String,
    pub owner: AccountOwner,
}

/// Largest provider name, in characters.
const MAX_PROVIDER: usize = 60;
/// Largest account holder's name, in characters.
const MAX_HOLDER_NAME: usize = 120;

impl PaymentAccount {
    pub fn new(
        kind: &str,
        provider: &str,
        account_no: &str,
        holder_name: &str,
        owner: &str,
    ) -> Result<Self> {
        let checked = |field: &'static str, value: &str, max: usize, what: &str| {
            let t = value.trim();
            if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
                return Err(ServerError::invalid(
                    field,
                    format!(
                        "{value:?} is not {what} (1 to {max} characters, no control characters)"
                    ),
                ));
            }
            Ok(t.to_owned())
        };
        let number = account_no.trim();
        if !(6..=20).contains(&number.len()) || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServerError::invalid(
                "account.account_no",
                format!("{account_no:?} is not an account number (6 to 20 digits)"),
            ));
        }
        Ok(PaymentAccount {
            kind: AccountKind::parse(kind)?,
            provider: checked(
                "account.provider",
                provider,
                MAX_PROVIDER,
                "a bank's or e-wallet's name",
            )?,
            account_no: number.to_owned(),
            holder_name: checked(
                "account.holder_name",
                holder_name,
                MAX_HOLDER_NAME,
                "the account holder's name",
            )?,
            owner: AccountOwner::parse(owner)?,
        })
    }

    /// The account of a request's body.
    pub fn from_wire(a: &asxh_api::accounts::AccountJson) -> Result<Self> {
        Self::new(
            &a.kind,
            &a.provider,
            &a.account_no,
            &a.holder_name,
            &a.owner,
        )
    }

    /// The account number as the history and the audit log keep it: its last four digits.
    pub fn masked_number(&self) -> String {
        let n = &self.account_no;
        format!("…{}", &n[n.len().saturating_sub(4)..])
    }
}

/// The account `entitlement` is paid into now (`None`: at the counter).
pub fn current_account(
    conn: &rusqlite::Connection,
    entitlement: i64,
) -> Result<Option<PaymentAccount>> {
    let row: Option<(String, String, String, String, String)> = conn
        .prepare_cached(
            "SELECT kind, provider, account_no, holder_name, owner FROM entitlement_accounts
             WHERE entitlement = ?1 AND replaced_at IS NULL",
        )?
        .query_row([entitlement], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(kind, provider, number, name, owner)| {
        PaymentAccount::new(&kind, &provider, &number, &name, &owner)
            .map_err(|e| ServerError::Storage(format!("entitlement {entitlement}'s account: {e}")))
    })
    .transpose()
}

fn detail(a: Option<&PaymentAccount>) -> serde_json::Value {
    match a {
        Some(a) => serde_json::json!({
            "method": "account",
            "kind": a.kind.as_str(),
            "provider": a.provider,
            "account_no": a.masked_number(),
            "holder_name": a.holder_name,
            "owner": a.owner.as_str(),
        }),
        None => serde_json::json!({"method": "counter"}),
    }
}

fn insert_account(tx: &Transaction<'_>, entitlement: i64, a: &PaymentAccount) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO entitlement_accounts (entitlement, kind, provider, account_no, holder_name, owner, set_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        entitlement,
        a.kind.as_str(),
        a.provider,
        a.account_no,
        a.holder_name,
        a.owner.as_str(),
        now()
    ])?;
    Ok(())
}

/// Makes `account` the one `entitlement` is paid into (`None`: at the counter again). A
/// household's decision has none (each member collects their own), nor a stopped one; a
/// recipient's account needs a recipient.
pub fn change_account(
    store: &Store,
    grant: &Authorized<act::RecordEntitlements>,
    entitlement: i64,
    account: Option<PaymentAccount>,
) -> Result<()> {
    let grant = grant.clone();
    store.write_batched(move |tx| {
        let area = entitlement_area(tx, &grant, entitlement)?;
        let (household, status): (Option<String>, String) = tx
            .prepare_cached("SELECT household, status FROM entitlements WHERE id = ?1")?
            .query_row([entitlement], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if household.is_some() && account.is_some() {
            return Err(ServerError::invalid(
                "account",
                "a household decision is not paid into one account: each member collects their own",
            ));
        }
        if status == "stopped" {
            return Err(ServerError::Conflict(format!("entitlement {entitlement} is stopped")));
        }
        if account.as_ref().is_some_and(|a| a.owner == AccountOwner::Recipient) {
            let recipients: i64 = tx
                .prepare_cached("SELECT COUNT(*) FROM entitlement_recipients WHERE entitlement = ?1 AND replaced_at IS NULL")?
                .query_row([entitlement], |r| r.get(0))?;
            if recipients == 0 {
                return Err(ServerError::invalid(
                    "account.owner",
                    format!("entitlement {entitlement} has no recipient whose account it could be"),
                ));
            }
        }
        let current = current_account(tx, entitlement)?;
        if current == account {
            return Err(ServerError::Conflict(match account {
                Some(_) => format!("entitlement {entitlement} is already paid into this account"),
                None => format!("entitlement {entitlement} is already paid at the counter"),
            }));
        }
        tx.prepare_cached(
            "UPDATE entitlement_accounts SET replaced_at = ?2 WHERE entitlement = ?1 AND replaced_at IS NULL",
        )?
        .execute(params![entitlement, now()])?;
        if let Some(a) = &account {
            insert_account(tx, entitlement, a)?;
        }
        record_change(tx, entitlement, &area, &grant.actor(), Change::Account, detail(account.as_ref()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_needs_digits_a_known_kind_and_owner_and_names_the_field_it_lacks() {
        let ok = PaymentAccount::new(
            "bank",
            " Agribank ",
            "4100205123456",
            "Nguyễn Thị Lan",
            "holder",
        )
        .unwrap();
        assert_eq!(ok.provider, "Agribank");
        assert_eq!(ok.masked_number(), "…3456");
        for (args, field) in [
            (
                ("bank", "Agribank", "41002-05", "Lan", "holder"),
                "account.account_no",
            ),
            (
                ("bank", "Agribank", "12345", "Lan", "holder"),
                "account.account_no",
            ),
            (
                ("cash", "Agribank", "123456", "Lan", "holder"),
                "account.kind",
            ),
            (
                ("ewallet", "", "123456", "Lan", "holder"),
                "account.provider",
            ),
            (
                ("ewallet", "VNPT Money", "123456", " ", "holder"),
                "account.holder_name",
            ),
            (
                ("ewallet", "VNPT Money", "123456", "Lan", "friend"),
                "account.owner",
            ),
        ] {
            let err = PaymentAccount::new(args.0, args.1, args.2, args.3, args.4).unwrap_err();
            match err {
                ServerError::Invalid { field: Some(f), .. } => assert_eq!(f, field),
                other => panic!("{other:?}"),
            }
        }
    }
}

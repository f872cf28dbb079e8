//! The server's one access policy: who ([`Principal`]) may do what ([`Action`]) where
//! ([`Reach`]), as one exhaustive `match` in [`reach`], so a new action or role does not compile
//! until it has its row. Everything that reads or changes the registry for somebody asks for an
//! [`Authorized`] proof, which only [`authorize`] makes; the proof then says which areas (or which
//! office's cards) the action may touch. The public lists (`/healthz`, the root key, the trust
//! list, the revocation list) need no account and are outside the table.
//!
//! A card outside an account's reach is, to that account, a card that does not exist: the
//! registry answers it exactly as it answers an unknown serial ([`Authorized::covers`]), so no
//! answer tells another area's cards apart from missing ones.

use std::marker::PhantomData;

use asxh_core::AreaCode;

use asxh_core::lists::OfficeCode;

use crate::error::{Result, ServerError};
use crate::scope::Scope;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Office,
    PaymentPoint,
    /// Read-only oversight of an area ("Giám sát (chỉ xem)"): districts and the province read
    /// cards, reports and the audit log, and change nothing.
    Auditor,
    /// A commune's data-entry staff: look up the cards of their area, read its reports and ask
    /// for a card to be reissued with corrected data; never revoke.
    DataEntry,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Office,
        Role::DataEntry,
        Role::Auditor,
        Role::PaymentPoint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::PaymentPoint => "payment-point",
            Role::Auditor => "auditor",
            Role::DataEntry => "data-entry",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "admin" => Ok(Role::Admin),
            "office" => Ok(Role::Office),
            "payment-point" => Ok(Role::PaymentPoint),
            "auditor" => Ok(Role::Auditor),
            "data-entry" => Ok(Role::DataEntry),
            other => Err(ServerError::invalid(
                "role",
                format!("{other:?} is not admin, office, data-entry, auditor or payment-point"),
            )),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An authenticated account.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub role: Role,
    pub office: Option<OfficeCode>,
    pub area: AreaCode,
}

impl Account {
    /// How the account appears in the audit log and card history (never the token).
    pub fn actor(&self) -> String {
        match &self.office {
            Some(o) => format!("{}#{}@{}", self.role, self.id, o),
            None => format!("{}#{}", self.role, self.id),
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Principal {
    /// An account, by its bearer token or its console session.
    Account(Account),
    /// The operator at the server's command line, who holds the data directory and its keys.
    Operator,
}

impl Principal {
    fn who(&self) -> Who {
        match self {
            Principal::Account(a) => a.role.into(),
            Principal::Operator => Who::Operator,
        }
    }

    /// How the principal appears in the audit log and card history (never a token).
    pub fn actor(&self) -> String {
        match self {
            Principal::Account(a) => a.actor(),
            Principal::Operator => "cli".into(),
        }
    }
}

/// The kinds of principal, the table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Admin,
    Office,
    PaymentPoint,
    Auditor,
    DataEntry,
    Operator,
}

impl From<Role> for Who {
    fn from(role: Role) -> Who {
        match role {
            Role::Admin => Who::Admin,
            Role::Office => Who::Office,
            Role::PaymentPoint => Who::PaymentPoint,
            Role::Auditor => Who::Auditor,
            Role::DataEntry => Who::DataEntry,
        }
    }
}

/// Declares [`Action`] and, for each action, its type in [`act`], from one list.
macro_rules! actions {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// What a principal may ask for, the table's rows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Action {
            $($(#[$doc])* $name,)*
        }

        /// The actions as types: `Authorized<act::RevokeCards>` proves the principal may revoke
        /// cards.
        pub mod act {
            use super::{Act, Action};
            $(
                #[doc = concat!("[`Action::", stringify!($name), "`] as a type.")]
                #[derive(Debug)]
                pub enum $name {}
                impl Act for $name {
                    const ACTION: Action = Action::$name;
                }
            )*
        }
    };
}

actions! {
    /// `POST /v1/cards`, within the holder's area.
    IssueCards,
    /// Name the card a new card replaces (`POST /v1/cards` with `replaces`), which revokes it:
    /// within the replaced card's area.
    ReplaceCards,
    ActivateCards,
    VoidCards,
    /// A card by serial, the cards of an SSN, a search, a card's history and replacements.
    LookUpCards,
    RevokeCards,
    /// Start a replacement (console). One that revokes the card at once (lost, stolen) also
    /// needs [`Action::RevokeCards`].
    StartReplacements,
    ReadAuditLog,
    /// Log in to the console and see its dashboard.
    UseConsole,
    /// The console's page of offices and accounts.
    ManageOffices,
    AddOffices,
    /// Rotate an office's issuer key, retire or revoke one: within the office's area.
    ManageIssuerKeys,
    CreateAccounts,
    RevokeAccounts,
    /// The reports (by category, sex, age band, area and program) and their exports.
    ReadReports,
    /// The names of the administrative units (the catalogue).
    ReadAreas,
    /// Import the official list of administrative units into the catalogue.
    ImportAreas,
    /// Register beneficiaries and households; record, suspend, resume and stop entitlement
    /// decisions; change who may collect.
    RecordEntitlements,
    /// A beneficiary's entitlements with their history, a household, the base levels.
    ReadEntitlements,
    /// Set a program's base level from a month: a province's own within the account's area,
    /// the national one only at the command line.
    SetBaseLevels,
    /// Draft an area's payment roll for a month (SPEC.md §17.3).
    DraftRolls,
    /// Approve a draft of the payment roll, which publishes it.
    ApproveRolls,
    /// The drafts of the payment roll and their check summaries.
    ReadRolls,
    /// Register a payment point's key and upload the receipts of the payments it made, within
    /// the account's area.
    RecordPayments,
    /// The payments of an area's month: paid and unpaid lines, flagged receipts, exports; the
    /// transfer list of the lines paid into an account; the beneficiaries unpaid three months.
    ReadPayments,
    /// Record the bank's result of the transfers of an area's transfer list.
    RecordTransferResults,
    /// Suspend the entitlements of the beneficiaries who collected nothing for three months.
    SuspendUncollected,
}

impl Action {
    /// The action in "a … account may not …".
    pub fn describe(self) -> &'static str {
        match self {
            Action::IssueCards => "issue cards",
            Action::ReplaceCards => "replace cards",
            Action::ActivateCards => "activate cards",
            Action::VoidCards => "void cards",
            Action::LookUpCards => "look up cards",
            Action::RevokeCards => "revoke cards",
            Action::StartReplacements => "start card replacements",
            Action::ReadAuditLog => "read the audit log",
            Action::UseConsole => "use the console",
            Action::ManageOffices => "manage offices and accounts",
            Action::AddOffices => "add offices",
            Action::ManageIssuerKeys => "rotate, retire or revoke issuer keys",
            Action::CreateAccounts => "create accounts",
            Action::RevokeAccounts => "revoke accounts",
            Action::ReadReports => "read reports",
            Action::ReadAreas => "read the catalogue of administrative units",
            Action::ImportAreas => "import the list of administrative units",
            Action::RecordEntitlements => "record entitlement decisions",
            Action::ReadEntitlements => "read the register of entitlements",
            Action::SetBaseLevels => "set base levels",
            Action::DraftRolls => "draft payment rolls",
            Action::ApproveRolls => "approve payment rolls",
            Action::ReadRolls => "read payment roll drafts",
            Action::RecordPayments => "record payments",
            Action::ReadPayments => "read payments",
            Action::RecordTransferResults => "record the bank's transfer results",
            Action::SuspendUncollected => "suspend the entitlements not collected for three months",
        }
    }
}

/// Where a principal may do an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Nowhere,
    /// Within the account's area (and every area below it).
    OwnArea,
    /// On the cards the account's office issued, within the account's area.
    OwnOfficeInArea,
    Everywhere,
}

/// The table: who may do what, where.
pub fn reach(who: Who, action: Action) -> Reach {
    use Action::*;
    use Reach::*;
    use Who::*;
    match (action, who) {
        (IssueCards | ReplaceCards, Office) => OwnArea,
        (IssueCards | ReplaceCards, Admin | PaymentPoint | Auditor | DataEntry | Operator) => {
            Nowhere
        }
        (ActivateCards | VoidCards, Office) => OwnOfficeInArea,
        (ActivateCards | VoidCards, Admin | PaymentPoint | Auditor | DataEntry | Operator) => {
            Nowhere
        }
        (LookUpCards, Admin | Office | Auditor | DataEntry) => OwnArea,
        (LookUpCards, PaymentPoint | Operator) => Nowhere,
        (RevokeCards, Admin) => OwnArea,
        (RevokeCards, Operator) => Everywhere,
        (RevokeCards, Office | PaymentPoint | Auditor | DataEntry) => Nowhere,
        (StartReplacements, Admin | DataEntry) => OwnArea,
        (StartReplacements, Office | PaymentPoint | Auditor | Operator) => Nowhere,
        (ReadAuditLog, Admin | Auditor) => OwnArea,
        (ReadAuditLog, Office | PaymentPoint | DataEntry | Operator) => Nowhere,
        (UseConsole, Admin | Office | Auditor | DataEntry) => OwnArea,
        (UseConsole, PaymentPoint | Operator) => Nowhere,
        (ReadReports, Admin | Office | Auditor | DataEntry) => OwnArea,
        (ReadReports, Operator) => Everywhere,
        (ReadReports, PaymentPoint) => Nowhere,
        (ReadAreas, Admin | Office | Auditor | DataEntry | PaymentPoint) => Everywhere,
        (ReadAreas, Operator) => Everywhere,
        (ImportAreas, Operator) => Everywhere,
        (ImportAreas, Admin | Office | PaymentPoint | Auditor | DataEntry) => Nowhere,
        (ManageOffices, Admin) => OwnArea,
        (ManageOffices, Operator) => Everywhere,
        (ManageOffices, Office | PaymentPoint | Auditor | DataEntry) => Nowhere,
        (AddOffices | ManageIssuerKeys | CreateAccounts | RevokeAccounts, Admin) => OwnArea,
        (AddOffices | ManageIssuerKeys | CreateAccounts | RevokeAccounts, Operator) => Everywhere,
        (
            AddOffices | ManageIssuerKeys | CreateAccounts | RevokeAccounts,
            Office | PaymentPoint | Auditor | DataEntry,
        ) => Nowhere,
        (RecordEntitlements, Admin | DataEntry) => OwnArea,
        (RecordEntitlements, Operator) => Everywhere,
        (RecordEntitlements, Office | PaymentPoint | Auditor) => Nowhere,
        (ReadEntitlements, Admin | DataEntry | Auditor) => OwnArea,
        (ReadEntitlements, Operator) => Everywhere,
        (ReadEntitlements, Office | PaymentPoint) => Nowhere,
        (SetBaseLevels, Admin) => OwnArea,
        (SetBaseLevels, Operator) => Everywhere,
        (SetBaseLevels, Office | PaymentPoint | Auditor | DataEntry) => Nowhere,
        (DraftRolls | ApproveRolls, Admin) => OwnArea,
        (DraftRolls | ApproveRolls, Operator) => Everywhere,
        (DraftRolls | ApproveRolls, Office | PaymentPoint | Auditor | DataEntry) => Nowhere,
        (ReadRolls, Admin | Auditor | DataEntry) => OwnArea,
        (ReadRolls, Operator) => Everywhere,
        (ReadRolls, Office | PaymentPoint) => Nowhere,
        (RecordPayments, PaymentPoint) => OwnArea,
        (RecordPayments, Admin | Office | Auditor | DataEntry | Operator) => Nowhere,
        (ReadPayments, Admin | Auditor) => OwnArea,
        (ReadPayments, Operator) => Everywhere,
        (ReadPayments, Office | PaymentPoint | DataEntry) => Nowhere,
        (RecordTransferResults | SuspendUncollected, Admin) => OwnArea,
        (RecordTransferResults | SuspendUncollected, Operator) => Everywhere,
        (
            RecordTransferResults | SuspendUncollected,
            Office | PaymentPoint | Auditor | DataEntry,
        ) => Nowhere,
    }
}

/// An action as a type, so a registry function can ask for the proof of exactly its action.
pub trait Act {
    const ACTION: Action;
}

/// Proof that a principal may do `A` somewhere; says where.
#[derive(Debug)]
pub struct Authorized<A> {
    principal: Principal,
    reach: Reach,
    action: PhantomData<fn() -> A>,
}

impl<A> Clone for Authorized<A> {
    fn clone(&self) -> Self {
        Authorized {
            principal: self.principal.clone(),
            reach: self.reach,
            action: PhantomData,
        }
    }
}

/// The proof that `principal` may do `A`, or 403 naming the role and the action.
pub fn authorize<A: Act>(principal: &Principal) -> Result<Authorized<A>> {
    match reach(principal.who(), A::ACTION) {
        Reach::Nowhere => Err(ServerError::Forbidden(match principal {
            Principal::Account(a) => {
                format!("a {} account may not {}", a.role, A::ACTION.describe())
            }
            Principal::Operator => format!("the command line may not {}", A::ACTION.describe()),
        })),
        reach => Ok(Authorized {
            principal: principal.clone(),
            reach,
            action: PhantomData,
        }),
    }
}

/// Whether `account` may do `action` somewhere (what the console offers it).
pub fn allows(account: &Account, action: Action) -> bool {
    reach(account.role.into(), action) != Reach::Nowhere
}

impl<A: Act> Authorized<A> {
    pub fn actor(&self) -> String {
        self.principal.actor()
    }

    /// The proof that the same principal may also do `B` (a replacement is an issuance that
    /// also needs [`act::ReplaceCards`]).
    pub fn and<B: Act>(&self) -> Result<Authorized<B>> {
        authorize::<B>(&self.principal)
    }

    /// The account acting, unless it is the operator.
    pub fn account(&self) -> Option<&Account> {
        match &self.principal {
            Principal::Account(a) => Some(a),
            Principal::Operator => None,
        }
    }

    /// The areas the action may reach: the account's area for an area-limited action (an
    /// office's own cards included), every area otherwise.
    pub fn scope(&self) -> Scope {
        match (self.reach, &self.principal) {
            (Reach::Everywhere, _) | (_, Principal::Operator) => Scope::Everywhere,
            (_, Principal::Account(a)) => Scope::Within(a.area.clone()),
        }
    }

    /// Whether the action may touch something in `area`. What it may not touch, a card above
    /// all, the account does not see: the registry answers it as it answers an unknown one.
    pub fn covers(&self, area: &AreaCode) -> bool {
        match self.reach {
            Reach::Everywhere | Reach::OwnArea | Reach::OwnOfficeInArea => {
                self.scope().contains(area)
            }
            Reach::Nowhere => false,
        }
    }

    /// Fails with 403 unless the action may touch something in `area`.
    pub fn within(&self, area: &AreaCode) -> Result<()> {
        if self.covers(area) {
            return Ok(());
        }
        Err(ServerError::Forbidden(match self.scope() {
            Scope::Within(own) => format!("area {area} is outside this account's area {own}"),
            Scope::Everywhere => format!("area {area} is outside this account's reach"),
        }))
    }

    /// Whether the action may touch a card issued by `office`.
    pub fn covers_office(&self, office: &str) -> bool {
        match self.reach {
            Reach::Everywhere => true,
            Reach::OwnOfficeInArea => self
                .account()
                .and_then(|a| a.office.as_ref())
                .is_some_and(|o| o.as_str() == office),
            Reach::OwnArea | Reach::Nowhere => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role, area: &str, office: Option<&str>) -> Principal {
        Principal::Account(Account {
            id: 1,
            role,
            office: office.map(|o| OfficeCode::parse(o).unwrap()),
            area: AreaCode::parse(area).unwrap(),
        })
    }

    #[test]
    fn a_role_outside_the_table_gets_403_naming_the_role_and_the_action() {
        let err = authorize::<act::RevokeCards>(&account(Role::Office, "51", Some("QNG-01")))
            .unwrap_err();
        assert_eq!(err.status(), axum::http::StatusCode::FORBIDDEN);
        assert_eq!(err.to_string(), "a office account may not revoke cards");
        assert!(authorize::<act::IssueCards>(&Principal::Operator).is_err());
        assert!(authorize::<act::LookUpCards>(&account(Role::PaymentPoint, "51", None)).is_err());
    }

    #[test]
    fn an_area_grant_covers_its_area_and_below_only() {
        let grant = authorize::<act::RevokeCards>(&account(Role::Admin, "51", None)).unwrap();
        assert!(grant.covers(&AreaCode::parse("51.429.22903").unwrap()));
        assert!(!grant.covers(&AreaCode::parse("79").unwrap()));
        assert_eq!(
            grant
                .within(&AreaCode::parse("79.26734").unwrap())
                .unwrap_err()
                .to_string(),
            "area 79.26734 is outside this account's area 51"
        );
        assert!(
            !grant.covers_office("QNG-01"),
            "an area grant is not an office's"
        );
        let cli = authorize::<act::RevokeCards>(&Principal::Operator).unwrap();
        assert!(cli.covers(&AreaCode::parse("79").unwrap()));
        assert_eq!(cli.actor(), "cli");
    }

    #[test]
    fn an_office_grant_covers_its_own_cards_within_the_accounts_area() {
        let office = account(Role::Office, "51.429", Some("QNG-01"));
        let grant = authorize::<act::ActivateCards>(&office).unwrap();
        assert!(grant.covers_office("QNG-01"));
        assert!(!grant.covers_office("HCM-01"));
        assert!(grant.covers(&AreaCode::parse("51.429.22903").unwrap()));
        assert!(!grant.covers(&AreaCode::parse("51.22903").unwrap()));
    }

    #[test]
    fn a_replacement_needs_its_own_grant_and_the_audit_log_is_read_within_an_area() {
        let office = account(Role::Office, "51", Some("QNG-01"));
        let issue = authorize::<act::IssueCards>(&office).unwrap();
        let replace = issue.and::<act::ReplaceCards>().unwrap();
        assert!(replace.covers(&AreaCode::parse("51.22903").unwrap()));
        assert!(!replace.covers(&AreaCode::parse("79.26734").unwrap()));
        let admin = authorize::<act::IssueCards>(&account(Role::Admin, "51", None));
        assert!(admin.is_err());
        let audit = authorize::<act::ReadAuditLog>(&account(Role::Auditor, "79", None)).unwrap();
        assert_eq!(audit.scope(), Scope::Within(AreaCode::parse("79").unwrap()));
    }

    #[test]
    fn data_entry_records_entitlements_auditors_only_read_and_admins_set_base_levels() {
        let entry = account(Role::DataEntry, "51.22903", None);
        let record = authorize::<act::RecordEntitlements>(&entry).unwrap();
        assert!(record.covers(&AreaCode::parse("51.22903").unwrap()));
        assert!(!record.covers(&AreaCode::parse("51.22906").unwrap()));
        assert!(authorize::<act::SetBaseLevels>(&entry).is_err());
        let auditor = account(Role::Auditor, "51", None);
        assert!(authorize::<act::ReadEntitlements>(&auditor).is_ok());
        assert!(authorize::<act::RecordEntitlements>(&auditor).is_err());
        let levels = authorize::<act::SetBaseLevels>(&account(Role::Admin, "51", None)).unwrap();
        assert_eq!(
            levels.scope(),
            Scope::Within(AreaCode::parse("51").unwrap())
        );
        for role in [Role::Office, Role::PaymentPoint] {
            assert!(
                authorize::<act::ReadEntitlements>(&account(role, "51", Some("QNG-01"))).is_err()
            );
        }
    }

    #[test]
    fn only_payment_points_record_payments_and_admins_and_auditors_read_them_in_their_area() {
        let point = account(Role::PaymentPoint, "51.429", None);
        let record = authorize::<act::RecordPayments>(&point).unwrap();
        assert!(record.covers(&AreaCode::parse("51.429.22903").unwrap()));
        assert!(!record.covers(&AreaCode::parse("51.22903").unwrap()));
        assert!(authorize::<act::ReadPayments>(&point).is_err());
        for role in [Role::Admin, Role::Auditor] {
            let read = authorize::<act::ReadPayments>(&account(role, "51", None)).unwrap();
            assert!(!read.covers(&AreaCode::parse("79").unwrap()));
            assert!(authorize::<act::RecordPayments>(&account(role, "51", None)).is_err());
        }
        for role in [Role::Office, Role::DataEntry] {
            assert!(authorize::<act::ReadPayments>(&account(role, "51", Some("QNG-01"))).is_err());
        }
        assert!(authorize::<act::RecordPayments>(&Principal::Operator).is_err());
    }

    #[test]
    fn the_console_offers_what_the_table_allows() {
        let Principal::Account(admin) = account(Role::Admin, "51", None) else {
            unreachable!()
        };
        assert!(allows(&admin, Action::ManageOffices));
        assert!(!allows(&admin, Action::IssueCards));
    }
}

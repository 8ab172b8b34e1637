//! The account workflows end to end on a real (SQLite) database: what is stored, what is mailed,
//! what is refused.

use chrono::{Duration, TimeZone, Utc};
use domain::{Clock, EmailAddress, Lang, ManualClock, Password, Role};
use std::{net::IpAddr, sync::Arc};
use store::{Store, testing::TestDatabase};
use workflows::accounts::{
    Accounts, AccountsError, NewStaff, PasswordHasher, Registration, ResetLink, SignIn,
    create_staff, totp::TotpSecret,
};

const STRONG: &str = "Zeilboot-Lantaarn-Heide-93";
const CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7));

struct World {
    _db: TestDatabase,
    store: Arc<dyn Store>,
    clock: Arc<ManualClock>,
    accounts: Accounts,
}

async fn world() -> World {
    let db = TestDatabase::sqlite();
    let store = store::connect(db.url()).await.expect("connect");
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("t"),
    ));
    let accounts = Accounts::new(
        Arc::clone(&store),
        PasswordHasher::new().expect("hasher"),
        Arc::clone(&clock) as Arc<dyn Clock>,
        workflows::accounts::Site {
            public_url: "https://privacy.example.nl".parse().expect("url"),
            organisation: "Cloud4Companies".into(),
        },
    );
    World {
        _db: db,
        store,
        clock,
        accounts,
    }
}

/// A sent message as the queue held it.
#[derive(Debug)]
struct Sent {
    to: String,
    subject: String,
    text: String,
}

impl Sent {
    fn token(&self) -> String {
        let start = self.text.find("token=").expect("a link with a token") + "token=".len();
        self.text[start..start + 64].to_owned()
    }
}

impl World {
    /// Takes every queued message, as the mail worker would.
    async fn mail(&self) -> Vec<Sent> {
        let now = self.clock.now();
        let claimed = self
            .store
            .claim_mail(now, now + Duration::minutes(5), 100)
            .await
            .expect("claim");
        let mut sent = Vec::new();
        for mail in claimed {
            self.store
                .mail_sent(mail.id, chrono::Utc::now())
                .await
                .expect("sent");
            sent.push(Sent {
                to: mail.recipient.clone(),
                subject: mail.subject.clone(),
                text: mail.body_text.clone(),
            });
        }
        sent
    }

    async fn register(&self, email: &str, lang: Lang) -> Result<(), AccountsError> {
        self.accounts
            .register(Registration {
                email: email_of(email),
                password: Password::parse(STRONG).expect("password"),
                language: lang,
            })
            .await
    }

    async fn sign_in(&self, email: &str, password: &str) -> Result<SignIn, AccountsError> {
        self.accounts
            .sign_in(&email_of(email), password, CLIENT)
            .await
    }

    async fn confirmed_customer(&self, email: &str) {
        self.register(email, Lang::Nl).await.expect("registered");
        let token = self.mail().await[0].token();
        self.accounts
            .confirm_address(&token)
            .await
            .expect("confirmed");
    }
}

fn email_of(text: &str) -> EmailAddress {
    EmailAddress::parse(text).expect("an address")
}

fn signed_in(outcome: Result<SignIn, AccountsError>) -> workflows::accounts::Account {
    match outcome {
        Ok(SignIn::Done(account, _)) => account,
        other => panic!("expected to be signed in, got {other:?}"),
    }
}

#[tokio::test]
async fn registration_mails_a_single_use_link_and_sign_in_works_only_after_it_is_used() {
    let w = world().await;
    w.register("Jan@Example.nl", Lang::En)
        .await
        .expect("registered");

    let mail = w.mail().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, "Jan@Example.nl");
    assert_eq!(
        mail[0].subject, "Confirm your e-mail address",
        "in the chosen language"
    );
    assert!(matches!(
        w.sign_in("jan@example.nl", STRONG).await,
        Err(AccountsError::Unconfirmed)
    ));

    let token = mail[0].token();
    w.accounts.confirm_address(&token).await.expect("confirmed");
    assert!(
        matches!(
            w.accounts.confirm_address(&token).await,
            Err(AccountsError::InvalidLink)
        ),
        "a link works once"
    );
    let account = signed_in(w.sign_in("JAN@example.nl", STRONG).await);
    assert_eq!(account.role, Role::Customer);
    assert_eq!(account.language, Lang::En);
}

#[tokio::test]
async fn a_confirmation_link_expires_after_24_hours() {
    let w = world().await;
    w.register("jan@example.nl", Lang::Nl)
        .await
        .expect("registered");
    let token = w.mail().await[0].token();
    w.clock.advance(Duration::hours(24));
    assert!(matches!(
        w.accounts.confirm_address(&token).await,
        Err(AccountsError::InvalidLink)
    ));
}

#[tokio::test]
async fn asvs_v6_3_8_registering_a_taken_address_answers_the_same_changes_nothing_and_tells_its_owner()
 {
    let w = world().await;
    w.confirmed_customer("jan@example.nl").await;
    let before = w
        .store
        .account_by_email_key("jan@example.nl")
        .await
        .expect("read");

    let again = w
        .accounts
        .register(Registration {
            email: email_of("JAN@example.nl"),
            password: Password::parse("Andere-Zin-Met-Woorden-12").expect("password"),
            language: Lang::En,
        })
        .await;
    assert!(again.is_ok(), "the same answer as for a new address");

    let after = w
        .store
        .account_by_email_key("jan@example.nl")
        .await
        .expect("read");
    assert_eq!(
        before, after,
        "the account is untouched (password included)"
    );
    let mail = w.mail().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].subject, "Je hebt al een account",
        "in the account's language"
    );
    assert!(
        !mail[0].text.contains("token="),
        "no link that changes anything"
    );
}

#[tokio::test]
async fn a_weak_password_is_refused_with_a_reason_and_nothing_is_written() {
    let w = world().await;
    let outcome = w
        .accounts
        .register(Registration {
            email: email_of("jan@example.nl"),
            password: Password::parse("wachtwoord123").expect("long enough"),
            language: Lang::Nl,
        })
        .await;
    assert!(matches!(
        outcome,
        Err(AccountsError::Password(domain::PasswordProblem::TooWeak))
    ));
    assert!(
        w.store
            .account_by_email_key("jan@example.nl")
            .await
            .expect("read")
            .is_none()
    );
    assert!(w.mail().await.is_empty());
}

#[tokio::test]
async fn asvs_v6_3_8_a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let w = world().await;
    w.confirmed_customer("jan@example.nl").await;
    let wrong = w
        .sign_in("jan@example.nl", "Verkeerd-Maar-Lang-Genoeg")
        .await;
    let unknown = w.sign_in("piet@example.nl", STRONG).await;
    let short = w.sign_in("piet@example.nl", "kort").await;
    for outcome in [wrong, unknown, short] {
        assert!(
            matches!(outcome, Err(AccountsError::InvalidCredentials)),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn a_reset_link_works_once_for_30_minutes_sets_the_password_and_ends_every_session() {
    let w = world().await;
    w.confirmed_customer("jan@example.nl").await;
    let id = signed_in(w.sign_in("jan@example.nl", STRONG).await).id;
    let session = store::session::SessionRow {
        id_hash: "f".repeat(64),
        account_id: Some(id.as_str().to_owned()),
        device: None,
        data: "{}".into(),
        created_at: w.clock.now(),
        last_seen_at: w.clock.now(),
        expires_at: w.clock.now() + Duration::hours(1),
    };
    w.store.insert_session(&session).await.expect("session");

    w.accounts
        .request_password_reset(&email_of("jan@example.nl"))
        .await
        .expect("asked");
    w.accounts
        .request_password_reset(&email_of("nobody@example.nl"))
        .await
        .expect("the same answer for an unknown address");
    let mail = w.mail().await;
    assert_eq!(mail.len(), 1, "only the account's owner gets mail");
    let token = ResetLink::from_token(&mail[0].token());

    let new = Password::parse("Nieuwe-Regenjas-Tuinpad-88").expect("password");
    w.clock.advance(Duration::minutes(29));
    assert!(w.accounts.reset_link_valid(&token).await.expect("valid"));
    w.accounts
        .reset_password(&token, &new)
        .await
        .expect("reset");
    assert!(
        matches!(
            w.accounts.reset_password(&token, &new).await,
            Err(AccountsError::InvalidLink)
        ),
        "a reset link works once"
    );
    assert!(
        w.store
            .account_sessions(id.as_str())
            .await
            .expect("sessions")
            .is_empty()
    );
    assert!(matches!(
        w.sign_in("jan@example.nl", STRONG).await,
        Err(AccountsError::InvalidCredentials)
    ));
    signed_in(
        w.sign_in("jan@example.nl", "Nieuwe-Regenjas-Tuinpad-88")
            .await,
    );
    assert_eq!(w.mail().await[0].subject, "Je wachtwoord is gewijzigd");

    w.accounts
        .request_password_reset(&email_of("jan@example.nl"))
        .await
        .expect("asked");
    let late = ResetLink::from_token(&w.mail().await[0].token());
    w.clock.advance(Duration::minutes(30));
    assert!(matches!(
        w.accounts.reset_password(&late, &new).await,
        Err(AccountsError::InvalidLink)
    ));
}

#[tokio::test]
async fn asvs_v7_4_3_a_password_change_needs_the_current_password_and_ends_the_other_sessions() {
    let w = world().await;
    w.confirmed_customer("jan@example.nl").await;
    let id = signed_in(w.sign_in("jan@example.nl", STRONG).await).id;
    for (hash, _) in [("a", 0), ("b", 1)] {
        w.store
            .insert_session(&store::session::SessionRow {
                id_hash: hash.repeat(64),
                account_id: Some(id.as_str().to_owned()),
                device: None,
                data: "{}".into(),
                created_at: w.clock.now(),
                last_seen_at: w.clock.now(),
                expires_at: w.clock.now() + Duration::hours(1),
            })
            .await
            .expect("session");
    }
    let new = Password::parse("Nieuwe-Regenjas-Tuinpad-88").expect("password");
    assert!(matches!(
        w.accounts
            .change_password(&id, "Niet-Het-Huidige-Wachtwoord", &new, None)
            .await,
        Err(AccountsError::WrongPassword)
    ));
    signed_in(w.sign_in("jan@example.nl", STRONG).await);

    w.accounts
        .change_password(&id, STRONG, &new, Some(&"a".repeat(64)))
        .await
        .expect("changed");
    let left: Vec<_> = w
        .store
        .account_sessions(id.as_str())
        .await
        .expect("sessions")
        .into_iter()
        .map(|s| s.id_hash)
        .collect();
    assert_eq!(left, vec!["a".repeat(64)], "only the asking session stays");
    signed_in(
        w.sign_in("jan@example.nl", "Nieuwe-Regenjas-Tuinpad-88")
            .await,
    );
}

#[tokio::test]
async fn an_address_changes_only_when_the_new_one_confirms_and_the_old_one_hears_of_it() {
    let w = world().await;
    w.confirmed_customer("jan@example.nl").await;
    let id = signed_in(w.sign_in("jan@example.nl", STRONG).await).id;

    w.accounts
        .request_email_change(&id, &email_of("jan@nieuw.example.nl"))
        .await
        .expect("asked");
    let mail = w.mail().await;
    let to: Vec<_> = mail.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(to, ["jan@nieuw.example.nl", "jan@example.nl"]);
    signed_in(w.sign_in("jan@example.nl", STRONG).await);

    w.accounts
        .confirm_email_change(&mail[0].token())
        .await
        .expect("confirmed");
    let account = signed_in(w.sign_in("jan@nieuw.example.nl", STRONG).await);
    assert_eq!(account.email.as_str(), "jan@nieuw.example.nl");
    assert!(
        w.store
            .account_by_email_key("jan@example.nl")
            .await
            .expect("read")
            .is_none()
    );
    let notice = w.mail().await;
    assert_eq!(notice[0].to, "jan@example.nl", "the old address is told");
    assert!(matches!(
        w.accounts
            .request_email_change(&id, &email_of("JAN@nieuw.example.nl"))
            .await,
        Err(AccountsError::SameAddress)
    ));
}

#[tokio::test]
async fn asvs_v6_5_1_staff_must_set_up_two_step_sign_in_and_each_code_works_once() {
    let w = world().await;
    let id = create_staff(
        w.store.as_ref(),
        w.accounts.hasher(),
        w.clock.as_ref(),
        NewStaff {
            email: email_of("support@example.nl"),
            role: Role::Support,
            password: Password::parse(STRONG).expect("password"),
            language: Lang::Nl,
            created_by: store::Actor::System,
        },
    )
    .await
    .expect("staff");
    assert_eq!(
        w.sign_in("support@example.nl", STRONG)
            .await
            .expect("password ok"),
        SignIn::TotpSetupRequired(id.clone())
    );

    let account = w
        .accounts
        .account(&id)
        .await
        .expect("read")
        .expect("exists");
    let enrolment = w.accounts.start_totp(&account).expect("enrolment");
    assert!(enrolment.qr_svg.starts_with("<?xml") || enrolment.qr_svg.contains("<svg"));
    let app = totp_rs::Totp::from_url(&enrolment.url).expect("the QR code's address");
    let code = |_: &TotpSecret, at| app.generate(at).to_string();
    let now = || u64::try_from(w.clock.now().timestamp()).expect("time");
    assert!(matches!(
        w.accounts
            .enable_totp(&id, &enrolment.secret, "000000")
            .await,
        Err(AccountsError::InvalidCode)
    ));
    w.accounts
        .enable_totp(&id, &enrolment.secret, &code(&enrolment.secret, now()))
        .await
        .expect("enabled");

    w.clock.advance(Duration::seconds(30));
    assert_eq!(
        w.sign_in("support@example.nl", STRONG)
            .await
            .expect("password ok"),
        SignIn::TotpRequired(id.clone())
    );
    let fresh = code(&enrolment.secret, now());
    let account = w
        .accounts
        .verify_code(&id, &fresh, CLIENT)
        .await
        .expect("code ok");
    assert_eq!(account.role, Role::Support);
    assert!(
        matches!(
            w.accounts.verify_code(&id, &fresh, CLIENT).await,
            Err(AccountsError::InvalidCode)
        ),
        "a code works once"
    );
    assert!(
        matches!(
            w.accounts.disable_totp(&id).await,
            Err(AccountsError::NotAllowed)
        ),
        "staff cannot turn it off"
    );
}

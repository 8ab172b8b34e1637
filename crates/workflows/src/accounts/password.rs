//! Password hashing and the strength check.
//!
//! argon2id with m = 19 MiB, t = 2, p = 1 (OWASP's minimum recommendation), computed on a few
//! threads of the hasher's own (no more than the number of cores) that run at the lowest CPU
//! priority (nice 19): a storm of sign-ins queues and takes the CPU the pages leave, instead of
//! taking it from them. (On tokio's blocking pool the hashes ran at the pages' priority; a page's
//! p99 rose several hundredfold during a storm. A blocking-pool thread cannot be given back its
//! priority once lowered, hence threads of our own.) Unknown accounts are verified against a dummy
//! hash, so "no such account" takes as long as "wrong password".

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{
        self, PasswordHasher as _, PasswordVerifier as _, SaltString, rand_core::OsRng,
    },
};
use domain::{Password, PasswordProblem};
use std::{
    fmt,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
        mpsc,
    },
};

/// A stored password hash in PHC string form (`$argon2id$v=19$m=19456,t=2,p=1$…`).
/// Never serialized towards a browser; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// A hash read back from storage.
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(***)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(password_hash::Error),
    #[error("the password hashing threads could not be started: {0}")]
    Start(std::io::Error),
    #[error("the password hashing thread stopped before answering")]
    Stopped,
}

/// Hashes and verifies passwords; cheap to clone, share one per process.
#[derive(Clone)]
pub struct PasswordHasher {
    jobs: mpsc::Sender<Job>,
    busy: Arc<AtomicUsize>,
    dummy: Arc<PasswordHash>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Starts `count` hashing threads taking jobs from one queue; they end when every sender is gone.
fn start_threads(count: usize) -> Result<mpsc::Sender<Job>, PasswordError> {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for n in 0..count {
        let queue = Arc::clone(&queue);
        std::thread::Builder::new()
            .name(format!("password-hash-{n}"))
            .spawn(move || {
                // Lowering one's own priority needs no privilege; if the system refuses, the
                // hashes still run, at normal priority.
                if let Err(error) = thread_priority::set_current_thread_priority(
                    thread_priority::ThreadPriority::Min,
                ) {
                    tracing::warn!(?error, "password hashing runs at normal CPU priority");
                }
                loop {
                    // A poisoned lock only means another hashing thread panicked while waiting.
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match next {
                        Ok(job) => job(),
                        Err(mpsc::RecvError) => break,
                    }
                }
            })
            .map_err(PasswordError::Start)?;
    }
    Ok(jobs)
}

fn argon2() -> Argon2<'static> {
    // These parameters are constants; `Params::new` only fails for out-of-range values.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<PasswordHash, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| PasswordHash(hash.to_string()))
        .map_err(PasswordError::Hash)
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    password_hash::PasswordHash::new(stored)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

impl PasswordHasher {
    /// At most as many hashes at once as the machine has cores.
    pub fn new() -> Result<Self, PasswordError> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::with_limit(cores)
    }

    pub fn with_limit(limit: usize) -> Result<Self, PasswordError> {
        // A random password nobody knows, hashed like every real one.
        let secret: String = SaltString::generate(&mut OsRng).as_str().to_owned();
        Ok(Self {
            jobs: start_threads(limit.max(1))?,
            busy: Arc::new(AtomicUsize::new(0)),
            dummy: Arc::new(hash_blocking(&secret)?),
        })
    }

    /// How many hashes are being computed right now (for metrics and tests).
    pub fn busy(&self) -> usize {
        self.busy.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordError> {
        let (answer, outcome) = tokio::sync::oneshot::channel();
        let busy = Arc::clone(&self.busy);
        let job: Job = Box::new(move || {
            busy.fetch_add(1, Ordering::Relaxed);
            let result = work();
            busy.fetch_sub(1, Ordering::Relaxed);
            // The caller may have gone (its request ended); the work is simply dropped then.
            let _ = answer.send(result);
        });
        self.jobs.send(job).map_err(|_| PasswordError::Stopped)?;
        outcome.await.map_err(|_| PasswordError::Stopped)
    }

    pub async fn hash(&self, password: &Password) -> Result<PasswordHash, PasswordError> {
        let password = password.clone();
        self.run(move || hash_blocking(password.expose())).await?
    }

    /// Whether `password` matches `stored`. With no stored hash (no such account) the password
    /// is checked against the dummy hash, which costs the same and never matches.
    pub async fn verify(
        &self,
        password: &Password,
        stored: Option<&PasswordHash>,
    ) -> Result<bool, PasswordError> {
        let password = password.clone();
        let (hash, known) = match stored {
            Some(hash) => (hash.0.clone(), true),
            None => (self.dummy.0.clone(), false),
        };
        let matches = self
            .run(move || verify_blocking(password.expose(), &hash))
            .await?;
        Ok(matches && known)
    }
}

/// Refuses passwords a strength estimator (zxcvbn) rates below "safely unguessable" (score 3 of
/// 4): common passwords, keyboard walks, dates, and words from `personal` (the person's name
/// or e-mail address, say).
pub fn check_strength(password: &Password, personal: &[&str]) -> Result<(), PasswordProblem> {
    let estimate = zxcvbn::zxcvbn(password.expose(), personal);
    if u8::from(estimate.score()) >= 3 {
        Ok(())
    } else {
        Err(PasswordProblem::TooWeak)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> Password {
        Password::parse(text).expect("long enough")
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_19_mib_two_passes_one_lane_and_a_fresh_salt_each_time() {
        let hasher = PasswordHasher::with_limit(2).expect("hasher");
        let secret = password("lantaarnpaal kookt soep");
        let first = hasher.hash(&secret).await.expect("hash");
        let second = hasher.hash(&secret).await.expect("hash");
        assert!(
            first
                .as_str()
                .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{first:?}"
        );
        assert_ne!(first, second, "a new salt every time");
        assert!(!first.as_str().contains("lantaarnpaal"));
    }

    #[tokio::test]
    async fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let hasher = PasswordHasher::with_limit(2).expect("hasher");
        let stored = hasher
            .hash(&password("lantaarnpaal kookt soep"))
            .await
            .expect("hash");
        assert!(
            hasher
                .verify(&password("lantaarnpaal kookt soep"), Some(&stored))
                .await
                .expect("verify")
        );
        assert!(
            !hasher
                .verify(&password("lantaarnpaal kookt thee"), Some(&stored))
                .await
                .expect("verify")
        );
        let garbage = PasswordHash::from_stored("not a phc string".into());
        assert!(
            !hasher
                .verify(&password("whatever it is"), Some(&garbage))
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies_whatever_the_password() {
        let hasher = PasswordHasher::with_limit(2).expect("hasher");
        for guess in ["password1", "lantaarnpaal kookt soep"] {
            assert!(!hasher.verify(&password(guess), None).await.expect("verify"));
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_the_limit_allows() {
        let hasher = PasswordHasher::with_limit(2).expect("hasher");
        let watcher = hasher.clone();
        let most = tokio::spawn(async move {
            let mut most = 0;
            for _ in 0..400 {
                most = most.max(watcher.busy());
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            most
        });
        let jobs: Vec<_> = (0..6)
            .map(|i| {
                let hasher = hasher.clone();
                tokio::spawn(
                    async move { hasher.hash(&password(&format!("job number {i}"))).await },
                )
            })
            .collect();
        for job in jobs {
            job.await.expect("joined").expect("hashed");
        }
        let most = most.await.expect("watcher");
        assert!(most <= 2, "at most 2 at once, saw {most}");
        assert!(most >= 1, "the watcher saw the work");
        assert_eq!(hasher.busy(), 0);
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn hashes_run_on_threads_at_the_lowest_cpu_priority_so_pages_come_first() {
        let hasher = PasswordHasher::with_limit(1).expect("hasher");
        // Field 19 of /proc/thread-self/stat is the thread's nice value (field 2, the name,
        // is in parentheses and may hold spaces: count after its closing one).
        let nice = hasher
            .run(|| {
                let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
                let after_name = stat.rsplit_once(')').expect("name").1;
                after_name.split_whitespace().nth(16).map(str::to_owned)
            })
            .await
            .expect("ran");
        assert_eq!(nice.as_deref(), Some("19"));
    }

    #[test]
    fn common_and_personal_passwords_are_refused_and_a_passphrase_is_accepted() {
        for weak in [
            "password",
            "12345678",
            "qwertyuiop",
            "welkom01",
            "Wachtwoord1!",
        ] {
            assert_eq!(
                check_strength(&password(weak), &[]),
                Err(PasswordProblem::TooWeak),
                "{weak}"
            );
        }
        assert_eq!(
            check_strength(
                &password("janssen2026"),
                &["janssen", "j.janssen@example.nl"]
            ),
            Err(PasswordProblem::TooWeak)
        );
        assert_eq!(
            check_strength(&password("lantaarnpaal kookt soep"), &[]),
            Ok(())
        );
    }
}

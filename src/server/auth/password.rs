//! Password hashing with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, OWASP's
//! recommended minimum).
//!
//! Each computation holds 19 MiB and a core: [`PasswordWorkers`] runs them off the async workers
//! and no more at once than the server has cores, whatever the number of sign-ins arriving.

use argon2::password_hash::{Output, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::OnceLock;

thread_local! {
    /// The Argon2 memory of this thread, allocated once and reused: glibc keeps a freed 19 MiB
    /// block of a thread out of use, so allocating one per computation grew the server by 19 MiB
    /// at each sign-in (measured: 500 MiB after a few dozen).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 with its parameters, computed in this thread's reused memory.
fn compute<'a>(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: Salt<'a>,
) -> argon2::password_hash::Result<PasswordHash<'a>> {
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params.clone());
    let output = MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        Output::init_with(output_len, |out| {
            argon
                .hash_password_into_with_memory(password, salt_bytes, out, &mut memory[..blocks])
                .map_err(Into::into)
        })
    })?;
    Ok(PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: (&params).try_into()?,
        salt: Some(salt),
        hash: Some(output),
    })
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system's random generator is unavailable");
    let salt = SaltString::encode_b64(&salt)?;
    let hashed = compute(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::default(),
        password.as_bytes(),
        salt.as_salt(),
    )?;
    Ok(hashed.to_string())
}

/// Whether `password` matches a stored PHC string (with the parameters written in it).
fn matches(password: &str, stored: &str) -> Option<bool> {
    let parsed = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .ok()?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).ok()?;
    let expected = parsed.hash?;
    let computed = compute(algorithm, version, params, password.as_bytes(), parsed.salt?).ok()?;
    // `Output` compares in constant time.
    Some(computed.hash == Some(expected))
}

/// Checks a password against a stored hash; `None` (unknown account) still spends the time of
/// a real check, so that the answer's timing does not tell whether the e-mail exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a password of anyone").unwrap_or_default());
    let candidate = stored.unwrap_or(dummy);
    let ok = matches(password, candidate).unwrap_or(false);
    ok && stored.is_some()
}

/// How long a password check waits for a free worker before the caller is asked to retry.
const WAIT_FOR_WORKER: std::time::Duration = std::time::Duration::from_secs(10);
/// Checks waiting for a worker, at most; beyond, the caller is asked to retry at once.
const QUEUE: usize = 256;

type Job = Box<dyn FnOnce() + Send>;

/// The threads that hash and verify passwords: as many as the server has cores, each reusing its
/// own memory for Argon2. However many sign-ins arrive, at most that many 19 MiB blocks exist at
/// once (on Tokio's blocking pool every new thread kept its own, and a flood of guesses grew the
/// server to 500 MiB), and the async workers never run Argon2.
#[derive(Debug)]
pub struct PasswordWorkers {
    jobs: std::sync::mpsc::SyncSender<Job>,
}

impl PasswordWorkers {
    pub fn start(threads: usize) -> PasswordWorkers {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for n in 0..threads.max(1) {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || loop {
                    // The lock is held only to take the next job; it ends when the server's
                    // state (the sender) is dropped.
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    match next {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = started {
                tracing::error!(error = %e, "cannot start a password worker");
            }
        }
        PasswordWorkers { jobs }
    }

    /// Runs `work` (hashing or verifying) on a password worker; when none is free in time, or
    /// too many wait already, answers "busy" (HTTP 429).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        let busy = || {
            crate::error::AppError::Busy(
                "Le service vérifie beaucoup de mots de passe en ce moment. Réessayez dans quelques secondes.".into(),
            )
        };
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs.try_send(job).map_err(|_| busy())?;
        match tokio::time::timeout(WAIT_FOR_WORKER, result).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) => {
                tracing::error!("a password computation failed");
                Err(crate::error::AppError::Internal)
            }
            Err(_) => Err(busy()),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = super::hash("le chat dort sur le radiateur").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("le chat dort sur le radiateur", Some(&h)));
        assert!(!super::verify("le chien dort sur le radiateur", Some(&h)));
        assert!(!super::verify("not a password of anyone", None));
    }

    /// Hashes made by the `argon2` crate's own API (as stored before) still verify.
    #[test]
    fn hashes_of_the_library_verify() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let stored = argon2::Argon2::default()
            .hash_password(b"une phrase de passe", &salt)
            .unwrap()
            .to_string();
        assert!(super::verify("une phrase de passe", Some(&stored)));
        assert!(!super::verify("une autre phrase", Some(&stored)));
        // And the other way round.
        let ours = super::hash("une phrase de passe").unwrap();
        let parsed = argon2::password_hash::PasswordHash::new(&ours).unwrap();
        use argon2::password_hash::PasswordVerifier;
        assert!(argon2::Argon2::default()
            .verify_password(b"une phrase de passe", &parsed)
            .is_ok());
    }
}

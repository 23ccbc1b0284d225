//! The result of running one of the workspace's programs, and the expectations tests state on it.

use std::process::Output;

use serde_json::Value;

/// The result of one command.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// What a finished process gave: its exit code (-1 when a signal ended it) and its output.
    pub fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "command failed: {}{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn refused(self, needle: &str) -> Run {
        assert_ne!(self.code, 0, "command was not refused: {}", self.stdout);
        assert!(
            self.stderr.contains(needle),
            "expected '{needle}' in the error, got: {}",
            self.stderr
        );
        self
    }

    /// An import that recorded a usage journal as tampered: a non-zero exit, the reason on
    /// stderr with what to do next.
    #[track_caller]
    pub fn tampered(self, needle: &str) -> Run {
        let run = self.refused(needle);
        assert!(
            run.stderr.contains("tampered")
                && run.stderr.contains("latest journal")
                && run.stderr.contains("licdesk journal dismiss --journal"),
            "expected the tamper and what to do next on stderr, got: {}",
            run.stderr
        );
        run
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

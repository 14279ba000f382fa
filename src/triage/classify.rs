//! The classifier: every fragment of every class in one Aho-Corasick automaton, so a line is
//! scanned once whatever the number of patterns, at memory speed for the lines (nearly all of
//! them) that match nothing.

use super::classes::{self, Class};
use aho_corasick::AhoCorasick;
use strum::IntoEnumIterator;

pub struct Classifier {
    automaton: AhoCorasick,
    /// For each pattern id: (class, rank, code).
    meta: Vec<(Class, u8, &'static str)>,
    /// For each pattern id: the literal the automaton matches (see `anchors`).
    texts: Vec<&'static str>,
}

/// What a line is, when it is anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub class: Class,
    pub code: &'static str,
    /// Where the deciding fragment starts in the line (bytes): what a cut line must keep.
    pub at: usize,
}

impl Default for Classifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Classifier {
    pub fn new() -> Self {
        let mut texts = Vec::new();
        let mut meta = Vec::new();
        for class in Class::iter() {
            for p in classes::doc(class).patterns {
                texts.push(p.text);
                meta.push((class, class.rank(), p.code));
            }
        }
        let automaton = AhoCorasick::new(&texts).expect("the class table builds an automaton");
        Classifier {
            automaton,
            meta,
            texts,
        }
    }

    /// Every literal the classifier matches, exactly as its automaton was built from them: a
    /// line it classifies contains one of them (up to the matching's own rules). The buffer
    /// scan derives its prefilter from these (`scan::Prefilter`), so a change to the table or
    /// to how lines are matched cannot leave the prefilter behind.
    pub fn anchors(&self) -> impl Iterator<Item = &str> + '_ {
        self.texts.iter().copied()
    }

    /// The best-ranked class on the line (and the code of its longest fragment), if any;
    /// `at` is where the class's first fragment on the line starts.
    pub fn classify(&self, line: &[u8]) -> Option<Hit> {
        let mut best: Option<(u8, usize, Hit)> = None;
        // The first start of each rank's fragments: ranks are distinct per class.
        let mut first_at = [usize::MAX; 8];
        for m in self.automaton.find_overlapping_iter(line) {
            let (class, rank, code) = self.meta[m.pattern().as_usize()];
            if let Some(slot) = first_at.get_mut(usize::from(rank)) {
                *slot = (*slot).min(m.start());
            }
            let len = m.len();
            let better = match &best {
                None => true,
                Some((r, l, _)) => rank < *r || (rank == *r && len > *l),
            };
            if better {
                best = Some((
                    rank,
                    len,
                    Hit {
                        class,
                        code,
                        at: m.start(),
                    },
                ));
            }
        }
        best.map(|(rank, _, mut h)| {
            h.at = first_at
                .get(usize::from(rank))
                .copied()
                .unwrap_or(h.at)
                .min(h.at);
            // S3's "Request has expired" beside the presigned URL's own `X-Amz-Expires` is the
            // URL's lifetime running out, not the clock: the URL expired.
            if h.class == Class::ClockSkew
                && h.code == "RequestExpired"
                && memchr::memmem::find(line, b"X-Amz-Expires").is_some()
            {
                h.class = Class::Expired;
            }
            h
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(line: &str) -> Option<Class> {
        Classifier::new().classify(line.as_bytes()).map(|h| h.class)
    }

    /// A presigned URL used after its `X-Amz-Expires`: S3 says "Request has expired", which
    /// alone would be the clock; beside the URL's own lifetime it is the URL that expired.
    #[test]
    fn an_expired_presigned_url_is_an_expiry_not_the_clock() {
        let line = "<Error><Code>AccessDenied</Code><Message>Request has expired</Message>\
                    <X-Amz-Expires>3600</X-Amz-Expires><Expires>2026-11-23T09:00:00Z</Expires>\
                    <ServerTime>2026-11-23T10:02:11Z</ServerTime></Error>";
        assert_eq!(class(line), Some(Class::Expired));
        assert_eq!(
            class(
                "An error occurred (RequestExpired) when calling the DescribeInstances \
                 operation: Request has expired."
            ),
            Some(Class::ClockSkew)
        );
    }

    #[test]
    fn the_clock_outranks_an_expiry_looking_message() {
        let line = "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: \
                    Signature expired: 20240301T120000Z is now earlier than 20240301T121000Z (20240301T121500Z - 5 min.)";
        assert_eq!(class(line), Some(Class::ClockSkew));
    }

    #[test]
    fn the_longest_fragment_names_the_code() {
        let hit = Classifier::new()
            .classify(
                b"ExpiredTokenException: The security token included in the request is expired",
            )
            .unwrap();
        assert_eq!(hit.class, Class::Expired);
        assert_eq!(hit.code, "ExpiredToken");
        let hit = Classifier::new()
            .classify(b"error: ExpiredTokenException")
            .unwrap();
        assert_eq!(hit.code, "ExpiredTokenException");
    }

    #[test]
    fn lines_outside_aws_are_not_credential_errors() {
        for line in [
            "TokenExpiredError: jwt expired",
            "remote: Invalid username or password. fatal: Authentication failed",
            "error: You must be logged in to the server (Unauthorized)",
            "2024-03-01 12:00:00 INFO all good, 42 objects copied",
        ] {
            assert_eq!(class(line), None, "{line}");
        }
    }

    #[test]
    fn invalid_utf8_is_scanned_as_bytes() {
        let mut line = b"\xff\xfe garbage ".to_vec();
        line.extend_from_slice(b"ExpiredToken");
        assert_eq!(
            Classifier::new().classify(&line).map(|h| h.class),
            Some(Class::Expired)
        );
    }
}

//! The classifier: every fragment of every class in one Aho-Corasick automaton, so a line is
//! scanned once whatever the number of patterns, at memory speed for the lines (nearly all of
//! them) that match nothing.
//!
//! Matching semantics (the fragments are plain data, [`classes::fragments`]):
//! - the line's runs of whitespace (spaces, tabs, CR, form feeds) count as one space, so
//!   "Signature not  yet current" and a tab-separated Lambda line match like any other;
//! - message templates ([`Match::Text`]) match ASCII case-insensitively;
//! - codes ([`Match::Code`]) match in their exact case and as whole words (not glued to a
//!   letter or digit; the suffix `Exception` may follow), so `Throttling` never matches "CPU
//!   throttling" nor `SlowDown` a "slowdown";
//! - when several classes match, the lowest [`Class::rank`] wins (the clock explains an
//!   expiry-looking line), and within it the longest fragment names the code.

use super::classes::{self, Class, Match};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

pub struct Classifier {
    automaton: AhoCorasick,
    /// For each pattern id: (class, rank, code, how).
    meta: Vec<(Class, u8, &'static str, Match)>,
    /// For each pattern id: its text, to check a code's exact case (and see `anchors`).
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

/// The whitespace that a run of counts as one space.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c)
}

/// Whether the line has whitespace other than single spaces (then it is collapsed first).
fn needs_collapse(line: &[u8]) -> bool {
    let mut prev_space = false;
    for &b in line {
        if b == b' ' {
            if prev_space {
                return true;
            }
            prev_space = true;
        } else if is_space(b) {
            return true;
        } else {
            prev_space = false;
        }
    }
    false
}

/// The line with every run of whitespace as one space, and for each byte of it the offset of
/// the byte it came from.
fn collapse(line: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut text = Vec::with_capacity(line.len());
    let mut from = Vec::with_capacity(line.len());
    let mut in_space = false;
    for (i, &b) in line.iter().enumerate() {
        if is_space(b) {
            if !in_space {
                text.push(b' ');
                from.push(i);
            }
            in_space = true;
        } else {
            text.push(b);
            from.push(i);
            in_space = false;
        }
    }
    (text, from)
}

/// Whether a code found at `start..end` of `hay` stands as a whole word: no letter or digit
/// glued before it, and after it none either, or the SDKs' class suffix `Exception`.
fn whole_word(hay: &[u8], start: usize, end: usize, text: &str) -> bool {
    let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let first_is_word = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    let last_is_word = text
        .bytes()
        .last()
        .is_some_and(|b| b.is_ascii_alphanumeric());
    if first_is_word && start > 0 && alnum(hay.get(start - 1)) {
        return false;
    }
    if !last_is_word || !alnum(hay.get(end)) {
        return true;
    }
    let rest = hay.get(end..).unwrap_or_default();
    rest.starts_with(b"Exception") && !alnum(rest.get("Exception".len()))
}

impl Classifier {
    pub fn new() -> Self {
        let fragments = classes::fragments();
        let texts: Vec<&'static str> = fragments.iter().map(|f| f.text).collect();
        let meta = fragments
            .iter()
            .map(|f| (f.class, f.class.rank(), f.code, f.how))
            .collect();
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(&texts)
            .expect("the class table builds an automaton");
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
        if needs_collapse(line) {
            let (text, from) = collapse(line);
            let mut hit = self.classify_collapsed(&text)?;
            hit.at = from.get(hit.at).copied().unwrap_or(0);
            Some(self.presigned(line, hit))
        } else {
            let hit = self.classify_collapsed(line)?;
            Some(self.presigned(line, hit))
        }
    }

    /// [`Classifier::classify`] on a line whose whitespace runs are already single spaces.
    fn classify_collapsed(&self, hay: &[u8]) -> Option<Hit> {
        let mut best: Option<(u8, usize, Hit)> = None;
        // The first start of each rank's fragments: ranks are distinct per class.
        let mut first_at = [usize::MAX; 8];
        for m in self.automaton.find_overlapping_iter(hay) {
            let id = m.pattern().as_usize();
            let (class, rank, code, how) = self.meta[id];
            if how == Match::Code {
                let text = self.texts[id];
                if hay.get(m.start()..m.end()) != Some(text.as_bytes())
                    || !whole_word(hay, m.start(), m.end(), text)
                {
                    continue;
                }
            }
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
            h
        })
    }

    /// S3's "Request has expired" beside the presigned URL's own `X-Amz-Expires` is the URL's
    /// lifetime running out, not the clock: the URL expired.
    fn presigned(&self, line: &[u8], mut h: Hit) -> Hit {
        if h.class == Class::ClockSkew
            && h.code == "RequestExpired"
            && memchr::memmem::find(line, b"X-Amz-Expires").is_some()
        {
            h.class = Class::Expired;
        }
        h
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

    /// Issue 19: templates match whatever the case and the spacing; codes only as words.
    #[test]
    fn templates_ignore_case_and_whitespace_runs_codes_do_not() {
        assert_eq!(
            class("panic: InvalidSignatureException: Signature not  yet current: 20181002T170509Z"),
            Some(Class::ClockSkew)
        );
        assert_eq!(
            class("error:\tSIGNATURE EXPIRED:\t20240301T120000Z is now earlier than ..."),
            Some(Class::ClockSkew)
        );
        assert_eq!(
            class("unable to locate credentials. You can configure credentials"),
            Some(Class::NoCredentials)
        );
        // Codes: exact case, whole words, the SDKs' `Exception` suffix allowed.
        assert_eq!(class("CPU throttling detected on node-7"), None);
        assert_eq!(class("   CPU Throttling: 12/400 periods (3.0%)"), None);
        assert_eq!(class("a small performance slowdown"), None);
        assert_eq!(class("error: expiredtoken"), None);
        assert_eq!(class("MyExpiredTokenHandler started"), None);
        assert_eq!(
            class("An error occurred (Throttling) when calling the DescribeStacks operation"),
            Some(Class::Throttling)
        );
        assert_eq!(
            class("sts.model.InvalidIdentityTokenException: Incorrect token audience"),
            Some(Class::InvalidToken)
        );
    }

    /// Where the fragment starts is an offset into the line as written, not as collapsed.
    #[test]
    fn the_fragment_offset_is_in_the_original_line() {
        let line = "a  b\t\tc   ExpiredToken: x";
        let hit = Classifier::new().classify(line.as_bytes()).unwrap();
        assert_eq!(&line[hit.at..hit.at + "ExpiredToken".len()], "ExpiredToken");
    }

    /// A signature refused without a time is a wrong secret; with one, the clock.
    #[test]
    fn a_signature_mismatch_is_the_clock_only_with_a_time() {
        assert_eq!(
            class(
                "SignatureDoesNotMatch: The request signature we calculated does not match \
                 the signature you provided. Check your key and signing method."
            ),
            Some(Class::InvalidToken)
        );
        assert_eq!(
            class("SignatureDoesNotMatch: Signature expired: 20240301T120000Z is now earlier"),
            Some(Class::ClockSkew)
        );
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

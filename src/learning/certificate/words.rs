//! The certificate's words in the course's language, and its PDF metadata.

use krilla::metadata::{DateTime, Metadata};

use super::CertificateData;
use crate::i18n::Args;

pub(super) fn metadata(
    data: &CertificateData,
    words: &Words,
    learner: &str,
    course: &str,
    school: &str,
    serial: &str,
) -> Metadata {
    let date = data.completed_on;
    let mut subject = words.tr(
        "cert-subject",
        Args::new()
            .text("serial", serial)
            .text("learner", learner)
            .text("course", course),
    );
    if !school.is_empty() {
        subject.push_str(&format!(" · {school}"));
    }
    let mut meta = Metadata::new()
        .title(words.tr("cert-title", Args::new().text("serial", serial)))
        .description(subject)
        .keywords(vec![
            "certificate".to_owned(),
            "completion".to_owned(),
            serial.to_owned(),
        ])
        .language(words.locale.clone())
        .creator("schoolhouse".to_owned())
        .document_id(format!("schoolhouse-certificate-{serial}"))
        .creation_date(
            DateTime::new(u16::try_from(date.year()).unwrap_or(0))
                .month(u8::from(date.month()))
                .day(date.day()),
        );
    if !school.is_empty() {
        meta = meta.authors(vec![school.to_owned()]);
    }
    meta
}

/// The certificate's words in the course's language.
pub(super) struct Words {
    pub(super) locale: String,
}

impl Words {
    pub(super) fn new(language: &str) -> Words {
        let locale = crate::i18n::canonical(language)
            .or_else(|| crate::i18n::canonical(language.split('-').next().unwrap_or("")))
            .unwrap_or(crate::i18n::SOURCE_LOCALE);
        Words {
            locale: locale.to_string(),
        }
    }

    pub(super) fn tr(&self, key: &str, args: Args) -> String {
        crate::i18n::t(&self.locale, key, &args)
    }
}

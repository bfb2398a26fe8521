//! File types recognised from their first bytes, never from the name or the client's claim.

/// The MIME type of an accepted upload, from its leading bytes (at least 12 are needed).
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        Some("video/mp4")
    } else if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("video/webm")
    } else if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Bytes to collect before deciding.
pub const HEAD_LEN: usize = 12;

pub const ACCEPTED: &str = "JPEG, PNG, GIF, WebP, MP4, WebM or PDF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_signatures_are_recognised() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some("image/jpeg")
        );
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0\0\0"), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0"), Some("video/mp4"));
        assert_eq!(sniff(&[0x1A, 0x45, 0xDF, 0xA3, 1, 2]), Some("video/webm"));
        assert_eq!(sniff(b"%PDF-1.7\n%..."), Some("application/pdf"));
    }

    #[test]
    fn text_dressed_up_as_an_image_is_not() {
        assert_eq!(sniff(b"hello, I am a png"), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
    }
}

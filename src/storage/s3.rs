//! Media in an S3-compatible bucket through `object_store` (SigV4 and presigning are the
//! crate's): objects `<prefix>/<sha256>`, uploaded once, read back to verify, handed out as
//! presigned GET URLs or streamed with a byte range.

use std::ops::Range;
use std::path::Path as FsPath;
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{
    Attribute, Attributes, ClientOptions, GetOptions, GetResult, ObjectStore, ObjectStoreExt,
    PutMultipartOptions, PutOptions, PutPayload, RetryConfig, WriteMultipart,
};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

use super::MediaStore;
use crate::config::media::{Delivery, S3Config};

/// Files up to this size go up in one PUT; larger ones as a multipart upload of such parts.
const PART_BYTES: usize = 8 * 1024 * 1024;

pub struct S3Store {
    store: Arc<AmazonS3>,
    prefix: String,
    pub delivery: Delivery,
    /// The CDN origin presigned URLs are handed out with, if any.
    public_url: Option<url::Url>,
}

impl S3Store {
    /// Builds the client (no request is made): settings from `[media.s3]`, credentials from
    /// there or from the `AWS_*` environment variables.
    pub fn open(config: &S3Config) -> anyhow::Result<S3Store> {
        // reqwest is built without a default TLS provider; the rest of the server uses ring.
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(config.endpoint.starts_with("http://"))
                    .with_connect_timeout(Duration::from_secs(5))
                    // A proxied video may stream for an hour: no limit on the whole request,
                    // only on silence.
                    .with_timeout_disabled()
                    .with_read_timeout(Duration::from_secs(30)),
            )
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            });
        if !config.endpoint.is_empty() {
            builder = builder.with_endpoint(config.endpoint.trim_end_matches('/'));
        }
        if !config.access_key_id.is_empty() {
            builder = builder.with_access_key_id(&config.access_key_id);
        }
        if !config.secret_access_key.is_empty() {
            builder = builder.with_secret_access_key(&config.secret_access_key);
        }
        let public_url = match config.public_url.as_str() {
            "" => None,
            text => Some(url::Url::parse(text)?),
        };
        Ok(S3Store {
            store: Arc::new(builder.build()?),
            prefix: config.prefix.clone(),
            delivery: config.delivery,
            public_url,
        })
    }

    /// The object key of a file: `<prefix>/<sha256>`.
    pub fn key(&self, sha256: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(sha256)
        } else {
            Path::from(format!("{}/{sha256}", self.prefix))
        }
    }

    /// A presigned GET URL valid for `seconds` (at least 1, at most S3's 7 days), with the
    /// CDN's origin when one is configured. Range requests work on it like on the object.
    pub async fn presigned_get(&self, sha256: &str, seconds: u64) -> anyhow::Result<String> {
        let seconds = seconds.clamp(1, 7 * 24 * 3600);
        let mut url = self
            .store
            .signed_url(
                axum::http::Method::GET,
                &self.key(sha256),
                Duration::from_secs(seconds),
            )
            .await?;
        if let Some(public) = &self.public_url {
            url = with_origin(&url, public);
        }
        Ok(url.to_string())
    }

    /// The bytes `range` of the object (all when `None`), as a stream the response can carry.
    pub async fn get(&self, sha256: &str, range: Option<Range<u64>>) -> anyhow::Result<GetResult> {
        let options = GetOptions::new().with_range(range);
        Ok(self.store.get_opts(&self.key(sha256), options).await?)
    }

    /// Uploads a local file under `sha256`, in parts when it is large.
    pub async fn upload(&self, sha256: &str, file: &FsPath, mime: &str) -> anyhow::Result<()> {
        let attributes = Attributes::from_iter([(Attribute::ContentType, mime.to_string())]);
        let mut source = tokio::fs::File::open(file).await?;
        let size = source.metadata().await?.len();
        let key = self.key(sha256);
        if size <= PART_BYTES as u64 {
            let mut bytes = Vec::with_capacity(size as usize);
            source.read_to_end(&mut bytes).await?;
            let options = PutOptions {
                attributes,
                ..PutOptions::default()
            };
            self.store
                .put_opts(&key, PutPayload::from(bytes), options)
                .await?;
            return Ok(());
        }
        let options = PutMultipartOptions {
            attributes,
            ..PutMultipartOptions::default()
        };
        let upload = self.store.put_multipart_opts(&key, options).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buf = vec![0u8; 1024 * 1024];
        loop {
            let n = match source.read(&mut buf).await {
                Ok(n) => n,
                Err(e) => {
                    let _ = writer.abort().await;
                    return Err(e.into());
                }
            };
            if n == 0 {
                break;
            }
            writer.wait_for_capacity(4).await?;
            writer.write(&buf[..n]);
        }
        writer.finish().await?;
        Ok(())
    }
}

/// `url` with the scheme, host and port of `origin` (path and signed query unchanged).
fn with_origin(url: &url::Url, origin: &url::Url) -> url::Url {
    let mut out = origin.clone();
    let base = origin.path().trim_end_matches('/');
    out.set_path(&format!("{base}{}", url.path()));
    out.set_query(url.query());
    out
}

fn not_found(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotFound { .. })
}

impl MediaStore for S3Store {
    async fn put_file(&self, sha256: &str, file: &FsPath, mime: &str) -> anyhow::Result<()> {
        // Content-addressed: an object already there holds these very bytes.
        if self.size(sha256).await? == Some(tokio::fs::metadata(file).await?.len()) {
            return Ok(());
        }
        self.upload(sha256, file, mime).await
    }

    async fn size(&self, sha256: &str) -> anyhow::Result<Option<u64>> {
        match self.store.head(&self.key(sha256)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn checksum(&self, sha256: &str) -> anyhow::Result<Option<String>> {
        let key = self.key(sha256);
        let size = match self.store.head(&key).await {
            Ok(meta) => meta.size,
            Err(e) if not_found(&e) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut hasher = Sha256::new();
        let mut at = 0u64;
        while at < size {
            let end = (at + PART_BYTES as u64).min(size);
            hasher.update(&self.store.get_range(&key, at..end).await?);
            at = end;
        }
        Ok(Some(hex::encode(hasher.finalize())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cdn_origin_keeps_the_signed_path_and_query() {
        let signed = url::Url::parse(
            "http://127.0.0.1:8333/school/media/ab12?X-Amz-Signature=f00&X-Amz-Expires=60",
        )
        .unwrap();
        let cdn = url::Url::parse("https://cdn.example").unwrap();
        assert_eq!(
            with_origin(&signed, &cdn).as_str(),
            "https://cdn.example/school/media/ab12?X-Amz-Signature=f00&X-Amz-Expires=60"
        );
        let under = url::Url::parse("https://cdn.example/files/").unwrap();
        assert_eq!(
            with_origin(&signed, &under).as_str(),
            "https://cdn.example/files/school/media/ab12?X-Amz-Signature=f00&X-Amz-Expires=60"
        );
    }

    #[test]
    fn keys_sit_under_the_prefix() {
        let mut config = S3Config {
            bucket: "b".into(),
            endpoint: "http://127.0.0.1:1".into(),
            access_key_id: "k".into(),
            secret_access_key: "s".into(),
            ..S3Config::default()
        };
        let store = S3Store::open(&config).unwrap();
        assert_eq!(store.key("ab").as_ref(), "media/ab");
        config.prefix = String::new();
        let store = S3Store::open(&config).unwrap();
        assert_eq!(store.key("ab").as_ref(), "ab");
    }
}

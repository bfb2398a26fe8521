-- Issue 29: languages and captions.
-- A user may choose the language of their mails, messages and pages (NULL: negotiated per
-- request, see docs/i18n.md); a course has the language it is taught in (courses created
-- before this were all written for an English-only school); a video lesson has WebVTT
-- captions per language and a transcript.
ALTER TABLE users ADD COLUMN locale TEXT;
ALTER TABLE courses ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
CREATE INDEX courses_language ON courses (language, status);
ALTER TABLE lessons ADD COLUMN transcript TEXT;

CREATE TABLE lesson_captions (
    lesson_id  TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    language   TEXT NOT NULL,
    label      TEXT NOT NULL,
    -- The .vtt file, stored and served like every lesson media file.
    media_id   TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (lesson_id, language)
);
CREATE INDEX lesson_captions_media ON lesson_captions (media_id);

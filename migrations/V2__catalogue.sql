-- Catalogue: categories, tags, media, products, courses with sections and lessons, quiz
-- questions, and the enrolments that gate course content. Full-text search via FTS5.

CREATE TABLE categories (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    parent_id  TEXT REFERENCES categories (id) ON DELETE RESTRICT,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE tags (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Uploaded files, stored content-addressed under <data_dir>/media/<sha256 prefix>/<sha256>.
CREATE TABLE media (
    id            TEXT PRIMARY KEY,
    sha256        TEXT NOT NULL,
    mime          TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    original_name TEXT NOT NULL,
    owner_id      TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX media_sha256 ON media (sha256);
CREATE INDEX media_owner ON media (owner_id);

CREATE TABLE products (
    id                TEXT PRIMARY KEY,
    vendor_id         TEXT NOT NULL REFERENCES users (id),
    name              TEXT NOT NULL,
    slug              TEXT NOT NULL UNIQUE,
    description       TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL CHECK (kind IN ('digital', 'physical')),
    price_cents       INTEGER NOT NULL CHECK (price_cents >= 0),
    currency          TEXT NOT NULL,
    -- NULL means unlimited (digital goods); physical goods always count stock.
    stock_quantity    INTEGER CHECK (stock_quantity IS NULL OR stock_quantity >= 0),
    sku               TEXT UNIQUE,
    category_id       TEXT REFERENCES categories (id) ON DELETE SET NULL,
    status            TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    download_media_id TEXT REFERENCES media (id) ON DELETE SET NULL,
    sales_count       INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (kind = 'digital' OR stock_quantity IS NOT NULL)
);
CREATE INDEX products_status_created ON products (status, created_at);
CREATE INDEX products_status_price ON products (status, price_cents);
CREATE INDEX products_vendor ON products (vendor_id, status);
CREATE INDEX products_category ON products (category_id, status);

CREATE TABLE product_images (
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    media_id   TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, media_id)
);

CREATE TABLE product_tags (
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    tag_id     TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, tag_id)
);
CREATE INDEX product_tags_tag ON product_tags (tag_id, product_id);

CREATE TABLE courses (
    id               TEXT PRIMARY KEY,
    instructor_id    TEXT NOT NULL REFERENCES users (id),
    title            TEXT NOT NULL,
    slug             TEXT NOT NULL UNIQUE,
    description      TEXT NOT NULL DEFAULT '',
    price_cents      INTEGER NOT NULL CHECK (price_cents >= 0),
    currency         TEXT NOT NULL,
    category_id      TEXT REFERENCES categories (id) ON DELETE SET NULL,
    cover_media_id   TEXT REFERENCES media (id) ON DELETE SET NULL,
    level            TEXT NOT NULL DEFAULT 'all' CHECK (level IN ('beginner', 'intermediate', 'advanced', 'all')),
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    -- Ratings are kept as a sum and a count so the average is exact and cheap to update.
    rating_sum       INTEGER NOT NULL DEFAULT 0,
    rating_count     INTEGER NOT NULL DEFAULT 0,
    enrollment_count INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX courses_status_created ON courses (status, created_at);
CREATE INDEX courses_status_price ON courses (status, price_cents);
CREATE INDEX courses_instructor ON courses (instructor_id, status);
CREATE INDEX courses_category ON courses (category_id, status);

CREATE TABLE course_tags (
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    tag_id    TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, tag_id)
);
CREATE INDEX course_tags_tag ON course_tags (tag_id, course_id);

CREATE TABLE sections (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    position   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sections_course ON sections (course_id, position);

CREATE TABLE lessons (
    id                   TEXT PRIMARY KEY,
    course_id            TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    section_id           TEXT NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    title                TEXT NOT NULL,
    content_type         TEXT NOT NULL CHECK (content_type IN ('video', 'reading', 'quiz', 'assignment')),
    position             INTEGER NOT NULL,
    is_preview           INTEGER NOT NULL DEFAULT 0 CHECK (is_preview IN (0, 1)),
    required             INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    available_after_days INTEGER NOT NULL DEFAULT 0 CHECK (available_after_days >= 0),
    duration_seconds     INTEGER NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
    -- video
    content_url          TEXT,
    media_id             TEXT REFERENCES media (id) ON DELETE SET NULL,
    -- reading (Markdown; rendered to sanitised HTML when served)
    body_markdown        TEXT,
    -- quiz
    pass_percent         INTEGER CHECK (pass_percent IS NULL OR pass_percent BETWEEN 0 AND 100),
    max_attempts         INTEGER CHECK (max_attempts IS NULL OR max_attempts >= 1),
    -- assignment
    instructions         TEXT,
    max_score            INTEGER CHECK (max_score IS NULL OR max_score >= 1),
    pass_score           INTEGER CHECK (pass_score IS NULL OR pass_score >= 0),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX lessons_section ON lessons (section_id, position);
CREATE INDEX lessons_course ON lessons (course_id, required);

CREATE TABLE quiz_questions (
    id        TEXT PRIMARY KEY,
    lesson_id TEXT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'true_false', 'short_text')),
    prompt    TEXT NOT NULL,
    -- JSON array of option texts (choice questions); NULL otherwise.
    options   TEXT,
    -- JSON: indexes of correct options, a boolean, or accepted short answers. Never sent
    -- to students.
    answer    TEXT NOT NULL,
    points    INTEGER NOT NULL DEFAULT 1 CHECK (points >= 1)
);
CREATE INDEX quiz_questions_lesson ON quiz_questions (lesson_id, position);

-- Who may learn a course. Created by free enrolment, by a paid order, or by hand.
CREATE TABLE enrollments (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    course_id    TEXT NOT NULL REFERENCES courses (id),
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'revoked')),
    source       TEXT NOT NULL CHECK (source IN ('free', 'order', 'manual')),
    order_id     TEXT,
    enrolled_at  TEXT NOT NULL,
    completed_at TEXT,
    revoked_at   TEXT,
    updated_at   TEXT NOT NULL,
    UNIQUE (user_id, course_id)
);
CREATE INDEX enrollments_course ON enrollments (course_id, status);

CREATE VIRTUAL TABLE products_fts USING fts5 (
    name, description, content = 'products', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, name, description) VALUES ('delete', old.rowid, old.name, old.description);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name, description ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, name, description) VALUES ('delete', old.rowid, old.name, old.description);
    INSERT INTO products_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;

CREATE VIRTUAL TABLE courses_fts USING fts5 (
    title, description, content = 'courses', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER courses_fts_insert AFTER INSERT ON courses BEGIN
    INSERT INTO courses_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;
CREATE TRIGGER courses_fts_delete AFTER DELETE ON courses BEGIN
    INSERT INTO courses_fts (courses_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
END;
CREATE TRIGGER courses_fts_update AFTER UPDATE OF title, description ON courses BEGIN
    INSERT INTO courses_fts (courses_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
    INSERT INTO courses_fts (rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;

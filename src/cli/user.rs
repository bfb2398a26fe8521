//! `schoolhouse user ...`: account administration from the shell, through the same
//! services as the HTTP API. Works while the server runs (SQLite WAL; no server lock taken).

use std::io::BufRead;

use clap::Subcommand;

use crate::account::manage;
use crate::auth::recovery::service::{LOGIN_LINK_MINUTES, issue_login_link, set_password};
use crate::auth::service::{NewAccount, Origin, create_account};
use crate::auth::tokens::random_token;
use crate::config::Config;
use crate::state::AppState;
use crate::users::{Role, User};

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create an account. Without --password-stdin a strong password is generated and
    /// printed once.
    Create {
        #[arg(long)]
        email: String,
        /// admin, vendor, instructor or student.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Display name (default: the part of the email before the @).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated unless --password-stdin); every session of the user ends.
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account another role.
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// List every account.
    List,
    /// Print a one-time login link (valid 15 minutes): a way in when mail does not work.
    LoginLink {
        #[arg(long)]
        email: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|e: crate::http::Message| e.to_string())
}

/// Runs one `user` subcommand against the data dir of `config`.
pub async fn run(config: Config, action: UserAction) -> anyhow::Result<()> {
    let state = AppState::open(config)?;
    let result = dispatch(&state, action).await;
    state.db.close();
    result
}

fn cli_origin() -> Origin {
    Origin {
        ip: None,
        user_agent: Some("schoolhouse cli".into()),
    }
}

/// The given password from stdin, or a generated one that must be shown.
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((random_token(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    anyhow::ensure!(!password.is_empty(), "no password on standard input");
    Ok((password, false))
}

async fn dispatch(state: &AppState, action: UserAction) -> anyhow::Result<()> {
    let origin = cli_origin();
    match action {
        UserAction::Create {
            email,
            role,
            name,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let account = NewAccount {
                email,
                password: password.clone(),
                name,
                role,
            };
            let user = create_account(state, account, None, &origin).await?;
            println!(
                "created {} account {} (id {})",
                user.role, user.email, user.id
            );
            if generated {
                println!("password (shown only now): {password}");
            }
        }
        UserAction::SetPassword {
            email,
            password_stdin,
        } => {
            let user = manage::by_email(state, &email).await?;
            let (password, generated) = password(password_stdin)?;
            let revoked = set_password(state, &user.id, password.clone(), None, &origin).await?;
            println!(
                "password of {} changed; {revoked} session(s) ended",
                user.email
            );
            if generated {
                println!("new password (shown only now): {password}");
            }
        }
        UserAction::SetRole { email, role } => {
            let user = manage::by_email(state, &email).await?;
            let before = manage::set_role(state, &user.id, role, None, &origin).await?;
            if before == role {
                println!("{} already has the role {role}", user.email);
            } else {
                println!("{} is now {role} (was {before})", user.email);
            }
        }
        UserAction::List => print!("{}", table(&manage::list_all(state).await?)),
        UserAction::LoginLink { email } => {
            let user = manage::by_email(state, &email).await?;
            let token = issue_login_link(state, &user.id, None).await?;
            println!(
                "One-time login link for {} (valid {LOGIN_LINK_MINUTES} minutes, works once):\n\n    {}/login-link?token={token}\n",
                user.email,
                state.config.public_url()
            );
        }
    }
    Ok(())
}

/// The accounts as an aligned text table.
fn table(users: &[User]) -> String {
    let header = ["EMAIL", "NAME", "ROLE", "DISABLED", "CREATED"].map(String::from);
    let rows: Vec<[String; 5]> = users
        .iter()
        .map(|u| {
            [
                u.email.clone(),
                u.name.clone(),
                u.role.to_string(),
                if u.disabled_at.is_some() { "yes" } else { "no" }.into(),
                u.created_at.clone(),
            ]
        })
        .collect();
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if rows.is_empty() {
        out.push_str("(no accounts yet)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_aligns_columns_under_their_headers() {
        let user = User {
            id: "1".into(),
            email: "ada@example.com".into(),
            name: "Ada".into(),
            password_hash: String::new(),
            role: Role::Admin,
            disabled_at: None,
            created_at: "2030-01-01T00:00:00Z".into(),
            updated_at: String::new(),
        };
        let text = table(&[user]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].find("NAME"), lines[1].find("Ada"));
        assert_eq!(lines[0].find("ROLE"), lines[1].find("admin"));
        assert!(lines[1].contains(" no "));
    }
}

//! The dashboard: the account's area in figures and the replacements waiting for a card.

use asxh_text::Msg;
use axum::extract::State;
use axum::response::Response;

use super::ctx::Ctx;
use super::views;
use crate::areas;
use crate::registry::replacement;
use crate::state::{blocking, Shared};
use crate::stats;

/// Weeks of revocations on the dashboard's chart.
const CHART_WEEKS: u32 = 12;

pub(super) async fn dashboard(ctx: Ctx, State(state): Shared) -> Response {
    ctx.answer(
        async {
            let grant = ctx.console.clone();
            let l = ctx.lang;
            let (d, waiting, names) = blocking(move || {
                state.store.read(|c| {
                    let d =
                        stats::dashboard(c, &grant, time::OffsetDateTime::now_utc(), CHART_WEEKS)?;
                    let names =
                        areas::display_all(c, d.by_area.iter().map(|(a, _)| a.as_str()), l)?;
                    Ok((d, replacement::open_in(c, &grant)?, names))
                })
            })
            .await?;
            let title = format!("{} {}", l.text(Msg::ConsoleDashboardArea), ctx.account.area);
            Ok(ctx.page(
                &title,
                None,
                views::dashboard(l, &ctx.account, &d, &waiting, &names),
            ))
        }
        .await,
    )
}

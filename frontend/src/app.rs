//! The document shell, the router, and the chrome every page shares.

use crate::data::fetch_me;
use crate::i18n::{Locale, t, use_locale};
use crate::pages::{
    account::AccountPage, admin::PlatformAdminPage, approvals::ApprovalsPage, audit::AuditPageView,
    comparison::ComparisonPage, contacts::ContactsPage, dashboard::DashboardPage, home::HomePage, import::ImportPage,
    indicator::IndicatorPage, invitation::InvitationPage, login::LoginPage, plan::PlanPage, tenant::TenantPage,
    tenant_admin::TenantAdminPage, tokens::TokensPageView, work::WorkPage,
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// Where the backend serves the one stylesheet.
pub const STYLESHEET_PATH: &str = "/assets/planboard.css";
#[cfg(feature = "ssr")]
pub const STYLESHEET: &str = include_str!("../style/planboard.css");

/// The Content-Security-Policy nonce of the response being rendered, put into the request's
/// extensions by the server's security-headers middleware.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// The whole HTML document; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    #[cfg(feature = "ssr")]
    if let Some(CspNonce(nonce)) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        // Leptos puts this nonce on every inline script it writes (hydration, resources).
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The locale of the request being served (server) or of the page being hydrated (browser).
fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
                Some(Locale::from_cookie_header(header))
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Locale::from_tag(&tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(request_locale());
    let texts = t();
    view! {
        <Stylesheet href=STYLESHEET_PATH/>
        <Title text=texts.product/>
        <Router>
            <Header/>
            <main id="main">
                <Routes fallback=|| view! { <crate::pages::NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant") view=TenantPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/plans/:plan") view=PlanPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/plans/:plan/dashboard") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/approvals") view=ApprovalsPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/indicators/:indicator") view=IndicatorPage ssr=SsrMode::Async/>
                    <Route path=path!("/regions/:region") view=ComparisonPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/me") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/tokens") view=TokensPageView ssr=SsrMode::Async/>
                    <Route path=path!("/work") view=WorkPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=PlatformAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/admin") view=TenantAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/audit") view=AuditPageView ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/import") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/contacts") view=ContactsPage ssr=SsrMode::Async/>
                    <Route path=path!("/t/:tenant/invitations/:token") view=InvitationPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let locale = use_locale();
    let texts = t();
    // A plain link to the server, which sets the cookie and sends the reader back: the switch
    // works before (and without) the wasm, and the next render uses the new locale everywhere.
    let switch_href = format!("/lang/{}", locale.other().tag());
    let me = Resource::new(|| (), |_| fetch_me());
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">{texts.product}</A>
            <nav class="topnav">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match me.await {
                            Ok(Some(me)) => view! { <a href="/me" data-testid="account-link">{me.login}</a> }.into_any(),
                            _ => view! { <a href="/login" data-testid="sign-in-link">{texts.sign_in}</a> }.into_any(),
                        }
                    })}
                </Suspense>
                <a href=switch_href rel="nofollow" hreflang=locale.other().tag()>{texts.switch_language}</a>
            </nav>
        </header>
    }
}

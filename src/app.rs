//! The HTML shell and the routes of the application.

use crate::ui::components::layout::{SiteFooter, SiteHeader};
use crate::ui::pages::{
    AccountPage, AdminPage, BuyerHomePage, CalendarPage, ComparePage, ConsultationListPage, ConsultationPage,
    ContributionsOverviewPage, EditorPage, HistoryPage, InvitationPage, NewConsultationPage, NotFoundPage,
    PlanningPage, ReviewerHomePage, SignInPage, SupplierHomePage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="description" content="JeSaisFaire : le sourcing des marchés publics, par écrit et à armes égales."/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Pages get a policy that allows the hydration script of this very response (by its nonce).
#[cfg(feature = "ssr")]
fn set_page_security_policy() {
    use http::{header, HeaderValue};
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = HeaderValue::from_str(&crate::server::http::page_content_security_policy(&nonce)) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: this marks the moment the WebAssembly has taken over the
    // server-rendered page (the end-to-end tests wait for it).
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/jesaisfaire.css"/>
        <Title formatter=|page: String| if page.is_empty() { "JeSaisFaire".to_string() } else { format!("{page} · JeSaisFaire") }/>
        <Router>
            <a class="skip-link" href="#contenu">"Aller au contenu"</a>
            <SiteHeader/>
            <main id="contenu" class="site-main">
                // Pages wait for their data before sending any HTML (SsrMode::Async), so that they
                // are complete without JavaScript and for assistive technologies.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=ConsultationListPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id") view=ConsultationPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/versions/:n") view=ConsultationPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/historique") view=HistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/rediger") view=EditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/calendrier") view=CalendarPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/comparer") view=ComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/contributions") view=ContributionsOverviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/entreprise/planning") view=PlanningPage ssr=SsrMode::Async/>
                    <Route path=path!("/acheteur/nouvelle-consultation") view=NewConsultationPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/invitation/:token") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/acheteur") view=BuyerHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/relecture") view=ReviewerHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/entreprise") view=SupplierHomePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}

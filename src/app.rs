//! The HTML shell and the routes of the application.

use crate::ui::components::layout::{SiteFooter, SiteHeader};
use crate::ui::pages::{
    buyer_home_data, calendar_data, comparison_data, draft_data, history_data, invitation_data, overview_data,
    registers_data, registration_data, reviewer_home_data, supplier_home_data, AccountData, AccountPage, AdminData,
    AdminPage, BuyerHomePage, CalendarPage, ComparePage, ConfirmRegistrationPage, ConsultationData,
    ConsultationListPage, ConsultationPage, ContributionsOverviewPage, DossierData, DossierPage, EditorPage,
    HistoryPage, InvitationPage, InvitationsData, InvitationsPage, MinutesData, MinutesPage, NeedPageView, NeedsPage,
    NewConsultationPage, NewNeedPage, NotFoundPage, NotificationsPage, OpenDataPage, PlanningData, PlanningPage,
    RegistersPage, RegistrationPage, RegistrationSentPage, ReviewData, ReviewPage, ReviewerHomePage, SignInPage,
    SupplierHomePage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The document around the application, rendered on the server only. Its content security
/// policy, with this response's nonce, is set by `server::http::security`.
pub fn shell(options: LeptosOptions) -> impl IntoView {
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run in the browser only, once the page is hydrated.
    Effect::new(|_| preload_on_intent());
    view! {
        <Stylesheet id="leptos" href="/pkg/jesaisfaire.css"/>
        <Title formatter=page_title/>
        <Router>
            <a class="skip-link" href="#contenu" on:click=skip_to_content>"Aller au contenu"</a>
            <SiteHeader/>
            <main id="contenu" class="site-main" tabindex="-1">
                // Pages wait for their data before sending any HTML (SsrMode::Async), so that they
                // are complete without JavaScript and for assistive technologies.
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=ConsultationListPage ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id") view={Lazy::<ConsultationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/versions/:n") view={Lazy::<ConsultationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/historique") view={Lazy::<HistoryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/rediger") view={Lazy::<EditorRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/calendrier") view={Lazy::<CalendarRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/comparer") view={Lazy::<CompareRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/contributions") view={Lazy::<OverviewRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/relecture") view={Lazy::<ReviewRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/registres") view={Lazy::<RegistersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/comptes-rendus") view={Lazy::<MinutesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/dossier") view={Lazy::<DossierRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/consultations/:id/invitations") view={Lazy::<InvitationsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/entreprise/planning") view={Lazy::<PlanningRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/acheteur/nouvelle-consultation") view={Lazy::<NewConsultationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/connexion") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/compte") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/invitation/:token") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/inscription") view={Lazy::<RegistrationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/inscription/envoyee") view={Lazy::<RegistrationSentRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/inscription/confirmer/:token") view={Lazy::<ConfirmRegistrationRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/acheteur") view={Lazy::<BuyerHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/relecture") view={Lazy::<ReviewerHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/entreprise") view={Lazy::<SupplierHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/besoins") view={Lazy::<NeedsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/besoins/nouveau") view={Lazy::<NewNeedRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/besoins/:id") view={Lazy::<NeedRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/donnees") view={Lazy::<OpenDataRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}

/// The skip link moves the focus into the page itself: the router takes over the fragment
/// navigation, after which the next Tab would start again from the header.
fn skip_to_content(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(main) = document()
            .get_element_by_id("contenu")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    }
}

/// The document title of a page ("Consultation X · JeSaisFaire"). Titles carry what buyers
/// typed: escaped in the server's HTML (see `ui::escape`).
fn page_title(page: String) -> String {
    let title = if page.is_empty() {
        "JeSaisFaire".to_string()
    } else {
        format!("{page} · JeSaisFaire")
    };
    crate::ui::escape::raw_text(title)
}

// Pages loaded on demand: every page but the catalogue (the landing page) is split out of the
// main WebAssembly by `cargo leptos build --split`, so that a visitor downloads the editor, the
// diff views, the annotation or the calendars only on the pages that use them. One `impl` per
// page, written out: the split point's name comes from where the macro is written.
//
// A page's data (its resources and server actions) is started in `view()`, in the page's own
// module, never in `data()`: everything `data()` reaches stays in the main module that every
// visitor downloads first. Started there, the resources, the server functions' clients and the
// JSON decoding of every page's models (serde_json monomorphised per type, reactive_graph's async
// machinery per resource) doubled the main module (949 KB → 1.68 MB raw, 290 → 414 KB Brotli).
// The cost: on a client-side navigation, a page's data is asked for once its code has arrived
// (one round trip later); a page opened directly is unaffected (its data comes with the HTML).

/// The consultation page (text, margins, annotation).
pub struct ConsultationRoute;

#[lazy_route]
impl LazyRoute for ConsultationRoute {
    fn data() -> Self {
        ConsultationRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = ConsultationData::start();
        view! { <ConsultationPage data=data/> }.into_any()
    }
}

/// The editor (live preview, live diff).
pub struct EditorRoute;

#[lazy_route]
impl LazyRoute for EditorRoute {
    fn data() -> Self {
        EditorRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = draft_data();
        view! { <EditorPage draft=data/> }.into_any()
    }
}

/// The sourcing calendar (rules checked in the browser).
pub struct CalendarRoute;

#[lazy_route]
impl LazyRoute for CalendarRoute {
    fn data() -> Self {
        CalendarRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = calendar_data();
        view! { <CalendarPage detail=data/> }.into_any()
    }
}

/// The comparison of two versions.
pub struct CompareRoute;

#[lazy_route]
impl LazyRoute for CompareRoute {
    fn data() -> Self {
        CompareRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = comparison_data();
        view! { <ComparePage comparison=data/> }.into_any()
    }
}

/// The synthesis of contributions.
pub struct OverviewRoute;

#[lazy_route]
impl LazyRoute for OverviewRoute {
    fn data() -> Self {
        OverviewRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = overview_data();
        view! { <ContributionsOverviewPage data=data/> }.into_any()
    }
}

/// The review of a consultation by the platform's reviewers.
pub struct ReviewRoute;

#[lazy_route]
impl LazyRoute for ReviewRoute {
    fn data() -> Self {
        ReviewRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = ReviewData::start();
        view! { <ReviewPage data=data/> }.into_any()
    }
}

/// The registers of participants and accesses.
pub struct RegistersRoute;

#[lazy_route]
impl LazyRoute for RegistersRoute {
    fn data() -> Self {
        RegistersRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = registers_data();
        view! { <RegistersPage registers=data/> }.into_any()
    }
}

/// The minutes of oral exchanges.
pub struct MinutesRoute;

#[lazy_route]
impl LazyRoute for MinutesRoute {
    fn data() -> Self {
        MinutesRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = MinutesData::start();
        view! { <MinutesPage data=data/> }.into_any()
    }
}

/// The equal-treatment dossier.
pub struct DossierRoute;

#[lazy_route]
impl LazyRoute for DossierRoute {
    fn data() -> Self {
        DossierRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = DossierData::start();
        view! { <DossierPage data=data/> }.into_any()
    }
}

/// The supplier's retro-planning.
pub struct PlanningRoute;

#[lazy_route]
impl LazyRoute for PlanningRoute {
    fn data() -> Self {
        PlanningRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = PlanningData::start();
        view! { <PlanningPage data=data/> }.into_any()
    }
}

/// The revision history.
pub struct HistoryRoute;

#[lazy_route]
impl LazyRoute for HistoryRoute {
    fn data() -> Self {
        HistoryRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = history_data();
        view! { <HistoryPage history=data/> }.into_any()
    }
}

/// Creating a consultation.
pub struct NewConsultationRoute;

#[lazy_route]
impl LazyRoute for NewConsultationRoute {
    fn data() -> Self {
        NewConsultationRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <NewConsultationPage/> }.into_any()
    }
}

/// Signing in.
pub struct SignInRoute;

#[lazy_route]
impl LazyRoute for SignInRoute {
    fn data() -> Self {
        SignInRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <SignInPage/> }.into_any()
    }
}

/// The account (password, agenda link).
pub struct AccountRoute;

#[lazy_route]
impl LazyRoute for AccountRoute {
    fn data() -> Self {
        AccountRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = AccountData::start();
        view! { <AccountPage data=data/> }.into_any()
    }
}

/// Accepting an invitation.
pub struct InvitationRoute;

#[lazy_route]
impl LazyRoute for InvitationRoute {
    fn data() -> Self {
        InvitationRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = invitation_data();
        view! { <InvitationPage details=data/> }.into_any()
    }
}

/// The companies invited to a consultation, and the directory.
pub struct InvitationsRoute;

#[lazy_route]
impl LazyRoute for InvitationsRoute {
    fn data() -> Self {
        InvitationsRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = InvitationsData::start();
        view! { <InvitationsPage data=data/> }.into_any()
    }
}

/// A company registering itself.
pub struct RegistrationRoute;

#[lazy_route]
impl LazyRoute for RegistrationRoute {
    fn data() -> Self {
        RegistrationRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <RegistrationPage/> }.into_any()
    }
}

/// After the registration form: check your mail.
pub struct RegistrationSentRoute;

#[lazy_route]
impl LazyRoute for RegistrationSentRoute {
    fn data() -> Self {
        RegistrationSentRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <RegistrationSentPage/> }.into_any()
    }
}

/// The link of the confirmation mail.
pub struct ConfirmRegistrationRoute;

#[lazy_route]
impl LazyRoute for ConfirmRegistrationRoute {
    fn data() -> Self {
        ConfirmRegistrationRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = registration_data();
        view! { <ConfirmRegistrationPage details=data/> }.into_any()
    }
}

/// The buyer's consultations.
pub struct BuyerHomeRoute;

#[lazy_route]
impl LazyRoute for BuyerHomeRoute {
    fn data() -> Self {
        BuyerHomeRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = buyer_home_data();
        view! { <BuyerHomePage data=data/> }.into_any()
    }
}

/// The reviewer's consultations.
pub struct ReviewerHomeRoute;

#[lazy_route]
impl LazyRoute for ReviewerHomeRoute {
    fn data() -> Self {
        ReviewerHomeRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = reviewer_home_data();
        view! { <ReviewerHomePage data=data/> }.into_any()
    }
}

/// The supplier's home.
pub struct SupplierHomeRoute;

#[lazy_route]
impl LazyRoute for SupplierHomeRoute {
    fn data() -> Self {
        SupplierHomeRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = supplier_home_data();
        view! { <SupplierHomePage data=data/> }.into_any()
    }
}

/// Administration (organisations, invitations).
pub struct AdminRoute;

#[lazy_route]
impl LazyRoute for AdminRoute {
    fn data() -> Self {
        AdminRoute
    }

    fn view(_this: Self) -> AnyView {
        let data = AdminData::start();
        view! { <AdminPage data=data/> }.into_any()
    }
}

/// The catalogue of upcoming needs.
pub struct NeedsRoute;

#[lazy_route]
impl LazyRoute for NeedsRoute {
    fn data() -> Self {
        NeedsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <NeedsPage/> }.into_any()
    }
}

/// A buyer announces a need.
pub struct NewNeedRoute;

#[lazy_route]
impl LazyRoute for NewNeedRoute {
    fn data() -> Self {
        NewNeedRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <NewNeedPage/> }.into_any()
    }
}

/// A need's page.
pub struct NeedRoute;

#[lazy_route]
impl LazyRoute for NeedRoute {
    fn data() -> Self {
        NeedRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <NeedPageView/> }.into_any()
    }
}

/// The notification centre.
pub struct NotificationsRoute;

#[lazy_route]
impl LazyRoute for NotificationsRoute {
    fn data() -> Self {
        NotificationsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <NotificationsPage/> }.into_any()
    }
}

pub struct OpenDataRoute;

#[lazy_route]
impl LazyRoute for OpenDataRoute {
    fn data() -> Self {
        OpenDataRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <OpenDataPage/> }.into_any()
    }
}

/// The pages whose code starts loading when a person shows the intent to open them (issue 19):
/// the pointer over a link, the focus on it, a finger on it. The data still comes once the page
/// runs; the download and compilation of its module, most of a first visit, overlap the
/// person's gesture. Nothing is loaded that nobody points at (the first load stays small).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntendedPage {
    Consultation,
    Comparison,
    Editor,
}

impl IntendedPage {
    /// The page a link leads to, from its `href` (a path of this site).
    pub fn of_link(href: &str) -> Option<IntendedPage> {
        let rest = href.strip_prefix("/consultations/")?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match tail {
            "" => Some(IntendedPage::Consultation),
            "comparer" => Some(IntendedPage::Comparison),
            "rediger" => Some(IntendedPage::Editor),
            _ => None,
        }
    }

    #[cfg(feature = "hydrate")]
    async fn preload(self) {
        match self {
            IntendedPage::Consultation => ConsultationRoute::preload().await,
            IntendedPage::Comparison => CompareRoute::preload().await,
            IntendedPage::Editor => EditorRoute::preload().await,
        }
    }
}

/// One listener on the document for the whole site (links come and go with the pages).
fn preload_on_intent() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        use std::cell::Cell;
        thread_local! {
            // One bit per page already asked for (a set would bring hashing into the first load).
            static STARTED: Cell<u8> = const { Cell::new(0) };
        }
        let on_intent = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
            let Some(link) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten())
            else {
                return;
            };
            let Some(page) = link.get_attribute("href").as_deref().and_then(IntendedPage::of_link) else {
                return;
            };
            let bit = 1u8 << page as u8;
            if STARTED.with(|s| s.replace(s.get() | bit)) & bit == 0 {
                leptos::task::spawn_local(page.preload());
            }
        });
        let document = document();
        for kind in ["pointerover", "focusin", "touchstart"] {
            let _ = document.add_event_listener_with_callback(kind, on_intent.as_ref().unchecked_ref());
        }
        // Lives as long as the page.
        on_intent.forget();
    }
}

#[cfg(test)]
mod tests {
    use super::IntendedPage;

    #[test]
    fn links_are_matched_to_the_pages_worth_preloading() {
        assert_eq!(
            IntendedPage::of_link("/consultations/12"),
            Some(IntendedPage::Consultation)
        );
        assert_eq!(
            IntendedPage::of_link("/consultations/12#clause-3"),
            Some(IntendedPage::Consultation)
        );
        assert_eq!(
            IntendedPage::of_link("/consultations/1/comparer?de=1&a=2"),
            Some(IntendedPage::Comparison)
        );
        assert_eq!(
            IntendedPage::of_link("/consultations/1/rediger"),
            Some(IntendedPage::Editor)
        );
        for other in [
            "/consultations/1/calendrier",
            "/consultations/x",
            "/consultations/",
            "/besoins/1",
            "https://exemple.fr/consultations/1",
        ] {
            assert_eq!(IntendedPage::of_link(other), None, "{other}");
        }
    }
}

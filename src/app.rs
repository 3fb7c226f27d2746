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
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

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
// main WebAssembly by the splitter (`scripts/site-builder`), so that a visitor downloads the editor, the
// diff views, the annotation or the calendars only on the pages that use them.
//
// Pages are split in five modules of pages used together, not one module per page (issue 19).
// The splitter puts every function that several modules share, and the main module does not,
// into a chunk per set of modules sharing it: with a module per page (leptos's `#[lazy_route]`,
// 28 modules), the build had 780 chunks and the consultation page alone fetched 390 files
// (654 KB in Brotli, most of it the chunks' own import and export tables), which took 1.4 s on
// a first visit even from this machine, six requests at a time. With five modules there are at
// most a few chunks per page.
// - `dialogue`: the consultation, its comparison, the editor, the history, the synthesis, the review;
// - `procedure`: what the buyer runs around it (calendar, registers, minutes, dossier,
//   invitations, planning, a new consultation);
// - `entry`: signing in, registering, accepting an invitation;
// - `home`: the home pages of each role, the account, the notifications, the administration;
// - `needs`: the upcoming needs and the open data.
//
// A page's data (its resources and server actions) is started in `view()`, in the page's own
// module, never in `data()`: everything `data()` reaches stays in the main module that every
// visitor downloads first. Started there, the resources, the server functions' clients and the
// JSON decoding of every page's models (serde_json monomorphised per type, reactive_graph's async
// machinery per resource) doubled the main module (949 KB → 1.68 MB raw, 290 → 414 KB Brotli).
// The cost: on a client-side navigation, a page's data is asked for once its code has arrived
// (one round trip later); a page opened directly is unaffected (its data comes with the HTML).

/// A lazily loaded page `$route` whose view is the split function `$view`, in the split module
/// `$module` (what leptos's `#[lazy_route]` writes, but with the module named rather than one
/// per page). `$view` must be unique: it names the function the splitter exports.
macro_rules! split_page {
    ($(#[$doc:meta])* $route:ident in $module:ident as $view:ident => $body:block) => {
        $(#[$doc])*
        pub struct $route;

        // In a block of its own: the split function and its loader keep the same names in every page.
        const _: () = {
            #[cfg_attr(
                feature = "hydrate",
                ::leptos::wasm_split::wasm_split(
                    $module,
                    wasm_split_path = ::leptos::wasm_split,
                    preload(#[doc(hidden)] #[allow(non_snake_case)] preload_module)
                )
            )]
            fn $view(_this: $route) -> AnyView $body

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                #[cfg(feature = "hydrate")]
                async fn view(this: Self) -> AnyView {
                    $view(this).await
                }

                // On the server, the page is rendered at once, and the module's files are named in
                // the page's head so that the browser fetches them while it reads the HTML.
                #[cfg(not(feature = "hydrate"))]
                async fn view(this: Self) -> AnyView {
                    ::leptos::prefetch_lazy_fn_on_server(stringify!($module));
                    $view(this)
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    preload_module().await;
                }
            }
        };
    };
}

split_page! {
    /// The consultation page (text, margins, annotation).
    ConsultationRoute in dialogue as consultation_page => {
        let data = ConsultationData::start();
        view! { <ConsultationPage data=data/> }.into_any()
    }
}

split_page! {
    /// The editor (live preview, live diff).
    EditorRoute in dialogue as editor_page => {
        let data = draft_data();
        view! { <EditorPage draft=data/> }.into_any()
    }
}

split_page! {
    /// The sourcing calendar (rules checked in the browser).
    CalendarRoute in procedure as calendar_page => {
        let data = calendar_data();
        view! { <CalendarPage detail=data/> }.into_any()
    }
}

split_page! {
    /// The comparison of two versions.
    CompareRoute in dialogue as compare_page => {
        let data = comparison_data();
        view! { <ComparePage comparison=data/> }.into_any()
    }
}

split_page! {
    /// The synthesis of contributions.
    OverviewRoute in dialogue as overview_page => {
        let data = overview_data();
        view! { <ContributionsOverviewPage data=data/> }.into_any()
    }
}

split_page! {
    /// The review of a consultation by the platform's reviewers.
    ReviewRoute in dialogue as review_page => {
        let data = ReviewData::start();
        view! { <ReviewPage data=data/> }.into_any()
    }
}

split_page! {
    /// The registers of participants and accesses.
    RegistersRoute in procedure as registers_page => {
        let data = registers_data();
        view! { <RegistersPage registers=data/> }.into_any()
    }
}

split_page! {
    /// The minutes of oral exchanges.
    MinutesRoute in procedure as minutes_page => {
        let data = MinutesData::start();
        view! { <MinutesPage data=data/> }.into_any()
    }
}

split_page! {
    /// The equal-treatment dossier.
    DossierRoute in procedure as dossier_page => {
        let data = DossierData::start();
        view! { <DossierPage data=data/> }.into_any()
    }
}

split_page! {
    /// The supplier's retro-planning.
    PlanningRoute in procedure as planning_page => {
        let data = PlanningData::start();
        view! { <PlanningPage data=data/> }.into_any()
    }
}

split_page! {
    /// The revision history.
    HistoryRoute in dialogue as history_page => {
        let data = history_data();
        view! { <HistoryPage history=data/> }.into_any()
    }
}

split_page! {
    /// Creating a consultation.
    NewConsultationRoute in procedure as new_consultation_page => {
        view! { <NewConsultationPage/> }.into_any()
    }
}

split_page! {
    /// Signing in.
    SignInRoute in entry as sign_in_page => {
        view! { <SignInPage/> }.into_any()
    }
}

split_page! {
    /// The account (password, agenda link).
    AccountRoute in home as account_page => {
        let data = AccountData::start();
        view! { <AccountPage data=data/> }.into_any()
    }
}

split_page! {
    /// Accepting an invitation.
    InvitationRoute in entry as invitation_page => {
        let data = invitation_data();
        view! { <InvitationPage details=data/> }.into_any()
    }
}

split_page! {
    /// The companies invited to a consultation, and the directory.
    InvitationsRoute in procedure as invitations_page => {
        let data = InvitationsData::start();
        view! { <InvitationsPage data=data/> }.into_any()
    }
}

split_page! {
    /// A company registering itself.
    RegistrationRoute in entry as registration_page => {
        view! { <RegistrationPage/> }.into_any()
    }
}

split_page! {
    /// After the registration form: check your mail.
    RegistrationSentRoute in entry as registration_sent_page => {
        view! { <RegistrationSentPage/> }.into_any()
    }
}

split_page! {
    /// The link of the confirmation mail.
    ConfirmRegistrationRoute in entry as confirm_registration_page => {
        let data = registration_data();
        view! { <ConfirmRegistrationPage details=data/> }.into_any()
    }
}

split_page! {
    /// The buyer's consultations.
    BuyerHomeRoute in home as buyer_home_page => {
        let data = buyer_home_data();
        view! { <BuyerHomePage data=data/> }.into_any()
    }
}

split_page! {
    /// The reviewer's consultations.
    ReviewerHomeRoute in home as reviewer_home_page => {
        let data = reviewer_home_data();
        view! { <ReviewerHomePage data=data/> }.into_any()
    }
}

split_page! {
    /// The supplier's home.
    SupplierHomeRoute in home as supplier_home_page => {
        let data = supplier_home_data();
        view! { <SupplierHomePage data=data/> }.into_any()
    }
}

split_page! {
    /// Administration (organisations, invitations).
    AdminRoute in home as admin_page => {
        let data = AdminData::start();
        view! { <AdminPage data=data/> }.into_any()
    }
}

split_page! {
    /// The catalogue of upcoming needs.
    NeedsRoute in needs as needs_page => {
        view! { <NeedsPage/> }.into_any()
    }
}

split_page! {
    /// A buyer announces a need.
    NewNeedRoute in needs as new_need_page => {
        view! { <NewNeedPage/> }.into_any()
    }
}

split_page! {
    /// A need's page.
    NeedRoute in needs as need_page => {
        view! { <NeedPageView/> }.into_any()
    }
}

split_page! {
    /// The notification centre.
    NotificationsRoute in home as notifications_page => {
        view! { <NotificationsPage/> }.into_any()
    }
}

split_page! {
    OpenDataRoute in needs as open_data_page => {
        view! { <OpenDataPage/> }.into_any()
    }
}

/// The pages whose code starts loading when a person shows the intent to open them (issue 19):
/// the pointer over a link, the focus on it, a finger on it. The data still comes once the page
/// runs; the download and compilation of its module overlap the person's gesture. Nothing is
/// loaded that nobody points at (the first load stays small). The three are in the `dialogue`
/// module today: whichever is asked for first loads the other two.
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

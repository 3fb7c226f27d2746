use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"JSF"</span>
                    <span class="brand__name">"JeSaisFaire"</span>
                </a>
                <p class="brand__tagline">"Le sourcing des marchés publics, par écrit et à armes égales"</p>
                <nav class="site-nav" aria-label="Navigation principale">
                    <a href="/">"Consultations"</a>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "JeSaisFaire — dialogue avec les entreprises avant l'appel d'offres (article R2111-1 du code de la commande publique). "
                "Les contributions des entreprises sont anonymes entre elles."
            </p>
        </footer>
    }
}

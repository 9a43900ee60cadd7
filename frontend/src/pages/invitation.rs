//! `/t/{tenant}/invitations/{token}`: an invitation's one-time link. It shows who invited
//! whom, to which district and in what role; a new person sets a name and password there and
//! is signed in, an account holder accepts signed in as the invited address. Plain forms
//! (`POST /forms/invitations/accept`), so it works before and without the wasm.

use super::{FormOutcome, LoadFailed, Loading, field_error};
use crate::data::{LoadError, fetch_invitation};
use crate::format;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::api::{InvitationPreview, InvitationState};

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let invitation = Resource::new(
        move || (params.read().get("tenant"), params.read().get("token")),
        |(tenant, token)| async move {
            match (tenant, token) {
                (Some(tenant), Some(token)) => fetch_invitation(tenant, token).await,
                _ => Err(LoadError::NotFound),
            }
        },
    );
    view! {
        <h1>{t().invitation_title}</h1>
        <FormOutcome/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(invitation) => view! { <Invitation invitation/> }.into_any(),
                    Err(error) => view! { <LoadFailed error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Invitation(invitation: InvitationPreview) -> impl IntoView {
    let texts = t();
    let InvitationPreview {
        tenant,
        token,
        email,
        mobile,
        display_name,
        role,
        organisations,
        invited_by,
        expires_at,
        state,
        account_exists,
        signed_in_as,
    } = invitation;
    let slug = tenant.slug.clone();
    let here = format!("/t/{slug}/invitations/{token}");
    // Invited by address, by mobile number or both: the account signed in is the invitee's
    // if it is known by either.
    let signed_in_as_invitee = signed_in_as
        .as_deref()
        .is_some_and(|s| (!email.is_empty() && s.eq_ignore_ascii_case(&email)) || mobile.as_deref() == Some(s));
    let invitee = if email.is_empty() { mobile.clone().unwrap_or_default() } else { email.clone() };
    let action = match state {
        InvitationState::Accepted => view! { <p class="notice error" data-testid="invitation-used">{texts.invitation_used}</p> }.into_any(),
        InvitationState::Expired => view! { <p class="notice error" data-testid="invitation-expired">{texts.invitation_expired}</p> }.into_any(),
        InvitationState::Open if signed_in_as_invitee => view! {
            <form method="post" action="/forms/invitations/accept" class="form narrow" data-testid="accept-invitation">
                <input type="hidden" name="tenant" value=slug.clone()/>
                <input type="hidden" name="token" value=token.clone()/>
                <button type="submit">{texts.invitation_accept}</button>
            </form>
        }.into_any(),
        InvitationState::Open if signed_in_as.is_some() => view! {
            <p class="notice error" data-testid="invitation-other-account">{texts.invitation_other_account}" "<bdi>{invitee.clone()}</bdi></p>
        }.into_any(),
        InvitationState::Open if account_exists => view! {
            <p><a class="action" href=format!("/login?next={here}") data-testid="sign-in-to-accept">{texts.invitation_sign_in_to_accept}</a></p>
        }.into_any(),
        InvitationState::Open => view! {
            <form method="post" action="/forms/invitations/accept" class="form narrow" data-testid="accept-invitation">
                <p>{texts.invitation_set_password}</p>
                <input type="hidden" name="tenant" value=slug.clone()/>
                <input type="hidden" name="token" value=token.clone()/>
                <label for="display_name">{texts.display_name}</label>
                <input id="display_name" name="display_name" value=display_name maxlength="200" autocomplete="name"/>
                <label for="password">{texts.new_password}</label>
                <input id="password" name="password" type="password" required minlength="10" maxlength="256" autocomplete="new-password"/>
                {field_error("password", String::new())}
                <label for="confirm_password">{texts.confirm_password}</label>
                <input id="confirm_password" name="confirm_password" type="password" required minlength="10" maxlength="256" autocomplete="new-password"/>
                {field_error("confirm_password", String::new())}
                <button type="submit">{texts.invitation_accept}</button>
            </form>
        }.into_any(),
    };
    view! {
        <dl class="facts" data-testid="invitation">
            {(!email.is_empty()).then(|| view! { <dt>{texts.email}</dt><dd><bdi>{email.clone()}</bdi></dd> })}
            {mobile.clone().map(|m| view! { <dt>{texts.mobile}</dt><dd data-testid="invited-mobile">{m}</dd> })}
            <dt>{texts.invitation_to}</dt><dd>{tenant.name.clone()}</dd>
            <dt>{texts.role}</dt><dd>{texts.role(role)}</dd>
            {(!organisations.is_empty()).then(|| view! { <dt>{texts.organisations}</dt><dd>{organisations.join("、")}</dd> })}
            <dt>{texts.invited_by}</dt><dd><bdi>{invited_by.unwrap_or_default()}</bdi></dd>
            <dt>{texts.invitation_expires}</dt><dd>{format::date_time(expires_at, texts.locale)}</dd>
        </dl>
        {action}
    }
}

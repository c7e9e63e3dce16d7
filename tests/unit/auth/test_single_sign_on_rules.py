"""Which account a provider's identity opens (auth.rules.sso_decision), and how the identity is
read from the ID token's claims (single_sign_on.identity_from), without a database."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.auth.rules import ProviderIdentity, SsoAccount, SsoDecision, sso_decision
from govtrack.auth.single_sign_on import Settings, identity_from

ISSUER = "https://login.example.org"
PROVIDER = "Council Login"


def identity(email="ada@example.org", verified=True, subject="sub-1") -> ProviderIdentity:
    return ProviderIdentity(issuer=ISSUER, subject=subject, email=email, email_verified=verified)


def account(active=True, erased=False, issuer=None, subject=None) -> SsoAccount:
    return SsoAccount(active=active, erased=erased, oidc_issuer=issuer, oidc_subject=subject)


def test_a_verified_address_of_an_unlinked_active_account_links_it():
    assert sso_decision(identity(), None, account(), PROVIDER) == SsoDecision("by_email", True)


def test_the_account_linked_to_the_subject_opens_without_linking_again():
    linked = account(issuer=ISSUER, subject="sub-1")
    assert sso_decision(identity(verified=False), linked, None, PROVIDER) == SsoDecision(
        "linked", False
    )


def test_an_unverified_address_is_refused():
    decision = sso_decision(identity(verified=False), None, account(), PROVIDER)
    assert decision.account is None
    assert "has not verified the e-mail address ada@example.org" in decision.refusal


def test_no_address_is_refused():
    decision = sso_decision(identity(email=None), None, account(), PROVIDER)
    assert "did not tell govtrack your e-mail address" in decision.refusal


def test_an_unknown_address_is_refused():
    decision = sso_decision(identity(), None, None, PROVIDER)
    assert decision.refusal == (
        "There is no govtrack account for ada@example.org. Ask your administrator to invite you."
    )


def test_disabled_or_erased_accounts_are_refused_however_they_are_found():
    for facts in (account(active=False), account(erased=True)):
        assert "disabled" in sso_decision(identity(), None, facts, PROVIDER).refusal
        linked = SsoAccount(facts.active, facts.erased, ISSUER, "sub-1")
        assert "disabled" in sso_decision(identity(), linked, None, PROVIDER).refusal


def test_an_account_linked_to_another_identity_is_refused():
    decision = sso_decision(identity(), None, account(issuer=ISSUER, subject="sub-2"), PROVIDER)
    assert "is linked to another Council Login identity" in decision.refusal


accounts = st.none() | st.builds(
    SsoAccount,
    active=st.booleans(),
    erased=st.booleans(),
    oidc_issuer=st.none() | st.just(ISSUER),
    oidc_subject=st.none() | st.sampled_from(["sub-1", "sub-2"]),
)
identities = st.builds(
    ProviderIdentity,
    issuer=st.just(ISSUER),
    subject=st.just("sub-1"),
    email=st.none() | st.just("ada@example.org"),
    email_verified=st.booleans(),
)


@settings(max_examples=50)
@given(identities, accounts, accounts)
def test_an_account_opens_only_when_active_and_linked_or_verified_and_free(who, linked, by_email):
    decision = sso_decision(who, linked, by_email, PROVIDER)
    # Exactly one of: an account to open, or a reason in words.
    assert (decision.account is None) == (decision.refusal is not None)
    assert decision.link == (decision.account == "by_email")
    if decision.account == "linked":
        assert linked is not None and linked.active and not linked.erased
    if decision.account == "by_email":
        assert linked is None and who.email and who.email_verified
        assert by_email is not None and by_email.active and not by_email.erased
        assert by_email.oidc_subject is None
    if linked is not None and linked.active and not linked.erased:
        assert decision.account == "linked"


SETTINGS = Settings(
    issuer=ISSUER,
    client_id="govtrack",
    client_secret="",
    scopes="openid email profile",
    provider=PROVIDER,
    email_claim="email",
    verified_claim="email_verified",
    timeout=10.0,
)


def test_the_identity_reads_the_configured_claims_and_normalises_the_address():
    claims = {"iss": ISSUER, "sub": "s", "email": " Ada@Example.ORG ", "email_verified": True}
    assert identity_from(claims, SETTINGS) == ProviderIdentity(ISSUER, "s", "ada@example.org", True)
    entra = replace(SETTINGS, verified_claim="xms_edov")
    assert identity_from({**claims, "xms_edov": True}, entra).email_verified
    assert not identity_from(claims, entra).email_verified  # email_verified is not the claim


def test_only_true_verifies_an_address():
    base = {"iss": ISSUER, "sub": "s", "email": "ada@example.org"}
    for value in (True, "true", "True"):
        assert identity_from({**base, "email_verified": value}, SETTINGS).email_verified
    for value in (False, "false", None, 1, "yes", [True]):
        assert not identity_from({**base, "email_verified": value}, SETTINGS).email_verified
    assert identity_from({"iss": ISSUER, "sub": "s"}, SETTINGS).email is None

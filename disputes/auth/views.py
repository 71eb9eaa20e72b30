"""Views of the auth room: login, logout, consumer registration (rate limits: ratelimit.py), the
one-time link that lets a new account's owner set their password, and the way back in after a
forgotten password (auth/recovery.py)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from disputes.access import public, redirect_to_landing, safe_next
from disputes.auth import bp, invitations, phone_verification, recovery, services, two_factor
from disputes.auth.forms import (
    ForgotPasswordForm,
    InvitationForm,
    LoginForm,
    PasswordResetCodeForm,
    PasswordResetForm,
    PhoneCodeForm,
    RegistrationForm,
    TwoFactorLoginForm,
)
from disputes.auth.queries import normalise_mobile
from disputes.auth.sessions import rotate_session
from disputes.db import db
from disputes.formatting import N_

#: The one answer to a valid registration, whether the login was new or already registered.
REGISTERED = N_(
    "如该手机号或电子邮箱此前未注册，账户已开设，请用刚设置的密码登录；"
    "如已注册过，请用原来的密码登录，忘记密码请联系我们。"
)
#: The session key holding the mobile number a reset code was asked for.
RESET_MOBILE_KEY = "reset_mobile"
#: The session key holding the id of the registration waiting for its texted code.
VERIFICATION_KEY = "registration_verification"
NO_STORE = {"Cache-Control": "no-store"}


def _start_session(user: Any) -> None:
    """Rotate the session (no fixation), keeping the language and unsaved input; log in."""
    rotate_session(user)
    services.record_login(user)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    """Log in by mobile number or e-mail address."""
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect_to_landing(current_user, next_url)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.identifier.data, form.password.data)
        if user is not None and two_factor.is_enabled(user.id):
            # The password was right; the session logs in only once the code is too.
            two_factor.begin_login(user, next_url)
            return redirect(url_for("auth.login_code"))
        if user is not None:
            return _logged_in(user, next_url)
        db.session.commit()  # the failure count, a lock and their audit entries
        # One message for an unknown login, a wrong password and a locked account alike.
        form.form_errors.append(_("手机号/电子邮箱或密码不正确。"))
    form.password.data = ""
    return render_template("auth/login.html", form=form, next_url=next_url)


def _logged_in(user: Any, next_url: str | None) -> Any:
    """Start the session, commit, and go on: to the forced password change, else onwards."""
    _start_session(user)
    db.session.commit()
    if user.must_change_password:
        flash(_("您的密码已由管理员重置，请先设置新密码。"), "info")
        return redirect(url_for("account.password"))
    return redirect_to_landing(user, next_url)


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code() -> Any:
    """The second step of a login with two-factor on: a current code or a recovery code. Wrong
    codes count with wrong passwords (ratelimit.py); the step expires (TOTP_LOGIN_MINUTES)."""
    pending = two_factor.pending_login()
    user = two_factor.pending_user(pending) if pending else None
    if user is None:
        session.pop(two_factor.PENDING_KEY, None)
        flash(_("登录已超时，请重新输入密码。"), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorLoginForm()
    if form.validate_on_submit():
        used = two_factor.check_code(user, form.code.data)
        if used is not None:
            if used == "recovery":
                left = two_factor.count_unused_recovery_codes(user.id)
                flash(_("已使用一个恢复码，还剩 %(count)s 个。", count=left), "warning")
            return _logged_in(user, safe_next(pending.get("next")))
        two_factor.record_failure(user)
        db.session.commit()
        form.code.errors.append(_("验证码不正确或已使用，请填写验证器中的新验证码。"))
    form.code.data = ""
    return render_template("auth/login_code.html", form=form), 200, NO_STORE


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Any:
    """Log out (POST only, CSRF-protected) and go home."""
    if current_user.is_authenticated:
        services.record_logout(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("您已退出登录。"), "info")
    return redirect(url_for("public.home"))


@bp.route("/register", methods=["GET", "POST"])
@public
def register() -> Any:
    """Open a consumer account, then log in (going on to a safe `next`: the self-check's filing).

    A new login and one already registered get the same answer (REGISTERED), and nobody is
    logged in by registering, so the form tells no stranger whose number is registered.
    """
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect_to_landing(current_user, next_url)
    form = RegistrationForm()
    if form.validate_on_submit():
        data = services.UserData(
            name=form.name.data,
            password=form.password.data,
            mobile=form.mobile.data or None,
            email=form.email.data or None,
        )
        if data.mobile and phone_verification.is_required():
            return _verify_phone(data, next_url)
        try:
            services.register_consumer(data)
        except services.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(_(error.message))
        else:
            db.session.commit()
            flash(_(REGISTERED), "info")
            return redirect(url_for("auth.login", next=next_url))
    form.password.data = form.confirm.data = ""
    return render_template("auth/register.html", form=form, next_url=next_url)


def _verify_phone(data: services.UserData, next_url: str | None) -> Any:
    """Hold the registration and text the code (or tell a registered number so); the next page
    asks for it, whichever was sent."""
    verification = phone_verification.start(data)
    db.session.commit()
    session[VERIFICATION_KEY] = phone_verification.session_value(verification)
    flash(_("验证码已发送到您的手机，请在有效期内填写。"), "info")
    return redirect(url_for("auth.register_verify", next=next_url))


@bp.route("/register/verify", methods=["GET", "POST"])
@public
def register_verify() -> Any:
    """Confirm the mobile number with the texted code, which opens the account."""
    next_url = safe_next(request.values.get("next"))
    verification = phone_verification.get_verification(session.get(VERIFICATION_KEY))
    if verification is None:
        return redirect(url_for("auth.register", next=next_url))
    form = PhoneCodeForm()
    if form.validate_on_submit():
        if phone_verification.confirm(verification, form.code.data):
            db.session.commit()
            session.pop(VERIFICATION_KEY, None)
            flash(_(REGISTERED), "info")
            return redirect(url_for("auth.login", next=next_url))
        db.session.commit()  # the wrong try counts
        form.code.errors.append(_("验证码不正确或已失效，请重新获取。"))
    form.code.data = ""
    page = render_template(
        "auth/register_verify.html",
        form=form,
        mobile=verification.mobile,
        wait=phone_verification.seconds_until_resend(verification),
        next_url=next_url,
    )
    return page, 200, NO_STORE


@bp.post("/register/resend")
@public
def register_resend() -> Any:
    """Text a new code, no sooner than REGISTRATION_CODE_RESEND_SECONDS after the last one."""
    next_url = safe_next(request.values.get("next"))
    verification = phone_verification.get_verification(session.get(VERIFICATION_KEY))
    if verification is None:
        return redirect(url_for("auth.register", next=next_url))
    if phone_verification.resend(verification):
        db.session.commit()
        flash(_("新的验证码已发送。"), "info")
    else:
        wait = phone_verification.seconds_until_resend(verification)
        flash(_("请在 %(seconds)s 秒后再获取新的验证码。", seconds=wait), "warning")
    return redirect(url_for("auth.register_verify", next=next_url))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def invitation(token: str) -> Any:
    """Let the owner of a new account set their password, once, then log them in."""
    found = invitations.get_usable_invitation(token)
    if found is None:
        return render_template("auth/invitation_invalid.html"), 404, {"Cache-Control": "no-store"}
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(found, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(_(error.message))
        else:
            _start_session(user)
            db.session.commit()
            flash(_("密码已设置，欢迎使用。"), "success")
            return redirect_to_landing(user)
    form.password.data = form.confirm.data = ""
    page = render_template("auth/invitation.html", form=form, user=found.user)
    return page, 200, {"Cache-Control": "no-store"}


@bp.route("/forgot", methods=["GET", "POST"])
@public
def forgot() -> Any:
    """Ask for a reset link (e-mail login) or code (mobile login); the answer is the same whether
    or not the login has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        identifier = form.identifier.data.strip()
        recovery.request_reset(identifier)
        db.session.commit()
        if "@" in identifier:
            return render_template("auth/forgot_sent.html", email=identifier), 200, NO_STORE
        session[RESET_MOBILE_KEY] = normalise_mobile(identifier)
        flash(_("如该手机号已注册，验证码已发送，请在有效期内填写。"), "info")
        return redirect(url_for("auth.reset_code"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_link(token: str) -> Any:
    """Set a new password through the mailed link (once); every session of the account ends."""
    found = recovery.get_usable_link(token)
    if found is None:
        return render_template("auth/reset_invalid.html"), 404, NO_STORE
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            recovery.complete_reset(found, form.password.data)
        except services.AccountError as error:
            db.session.rollback()
            form.password.errors.append(_(error.message))
        else:
            db.session.commit()
            return _reset_done()
    form.password.data = form.confirm.data = ""
    return render_template("auth/reset.html", form=form), 200, NO_STORE


@bp.route("/reset/code", methods=["GET", "POST"])
@public
def reset_code() -> Any:
    """Set a new password with the texted code; a wrong code counts against it."""
    form = PasswordResetCodeForm()
    if request.method == "GET" and not form.mobile.data:
        form.mobile.data = session.get(RESET_MOBILE_KEY, "")
    if form.validate_on_submit():
        found = recovery.check_code(form.mobile.data, form.code.data)
        if found is None:
            db.session.commit()  # the wrong try counts
            form.code.errors.append(_("验证码不正确或已失效，请重新获取。"))
        else:
            try:
                recovery.complete_reset(found, form.password.data)
            except services.AccountError as error:
                db.session.rollback()
                form.password.errors.append(_(error.message))
            else:
                db.session.commit()
                session.pop(RESET_MOBILE_KEY, None)
                return _reset_done()
    form.password.data = form.confirm.data = form.code.data = ""
    return render_template("auth/reset_code.html", form=form), 200, NO_STORE


def _reset_done() -> Any:
    """After a reset: whoever was signed in here is signed out; log in with the new password."""
    logout_user()
    flash(_("密码已重设，所有设备上的登录均已失效，请用新密码登录。"), "success")
    return redirect(url_for("auth.login"))

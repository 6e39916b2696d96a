from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _


class SignUpForm(forms.Form):
    """A user name and an e-mail address; the password is chosen from the link e-mailed.

    A taken user name is said (user names are public: they sign entries and share editing);
    a taken e-mail address is not: whoever holds it is told by e-mail instead.
    """

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Shown with your contributions. Letters, digits and @/./+/-/_ only."),
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("we send you a link to confirm it"))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken: choose another one."))
        return username

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

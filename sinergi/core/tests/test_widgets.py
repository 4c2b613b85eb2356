"""The fast <select> renders what Django's own Select renders for plain choices."""

from django import forms

from sinergi.core.widgets import FastSelect, options_html


def test_options_are_escaped_and_the_chosen_ones_selected():
    html = options_html([("", "Semua"), (3, "UPT <Malang>"), ("4", "A & B")], ["3", None])
    assert html == (
        '<option value="">Semua</option>'
        '<option value="3" selected>UPT &lt;Malang&gt;</option>'
        '<option value="4">A &amp; B</option>'
    )


def test_the_select_keeps_its_attributes_and_the_bound_value():
    class Filter(forms.Form):
        stage = forms.ChoiceField(
            choices=[("", "Semua tahap"), ("1", "Pendekatan awal"), ("2", "Asesmen")],
            required=False,
            widget=FastSelect(attrs={"class": "form-select"}),
        )

    html = str(Filter(data={"stage": "2"})["stage"])
    assert html == (
        '<select name="stage" class="form-select" id="id_stage">'
        '<option value="">Semua tahap</option><option value="1">Pendekatan awal</option>'
        '<option value="2" selected>Asesmen</option></select>'
    )

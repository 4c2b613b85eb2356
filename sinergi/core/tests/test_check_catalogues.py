"""The catalogue check reports English strings that two apps translate differently."""

from sinergi.core.management.commands.check_catalogues import conflicts


def test_two_translations_of_one_string_are_reported_with_both_apps():
    found = conflicts(
        {
            ("", "Open"): {"budget": "Terbuka", "meetings": "Buka", "notifications": "Buka"},
            ("", "Name"): {"budget": "Nama", "staff": "Nama"},
        }
    )
    assert found == [
        "'Open' is translated differently: budget: 'Terbuka', meetings: 'Buka', "
        "notifications: 'Buka'"
    ]


def test_a_context_keeps_meanings_apart():
    found = conflicts(
        {
            ("follow-up status", "Open"): {"meetings": "Terbuka"},
            ("", "Open"): {"notifications": "Buka"},
            ("case status", "Closed"): {"rehabilitation": "Selesai", "budget": "Ditutup"},
        }
    )
    assert found == [
        "'Closed' (context 'case status') is translated differently: budget: 'Ditutup', "
        "rehabilitation: 'Selesai'"
    ]

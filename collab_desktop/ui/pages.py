"""The pages of the main window after the home page, by module name: the window imports each
when first shown (so the first page needs none of them), and the bundle's self-test checks
each is in the bundle. No Qt here, for that reason."""

# The pages after the home page, in the order of PAGES: attribute, module, class.
LATER_PAGES = (
    ("partners_page", "collab_desktop.ui.partners_page", "PartnersPage"),
    ("collaborations_page", "collab_desktop.ui.collaborations_page", "CollaborationsPage"),
    ("agreements_page", "collab_desktop.ui.agreements.agreements_page", "AgreementsPage"),
    ("activities_page", "collab_desktop.ui.delivery.activities_page", "ActivitiesPage"),
    ("participants_page", "collab_desktop.ui.delivery.participants_page", "ParticipantsPage"),
    ("volunteers_page", "collab_desktop.ui.delivery.volunteers_page", "VolunteersPage"),
    ("backups_page", "collab_desktop.ui.backups_page", "BackupsPage"),
    ("returns_page", "collab_desktop.ui.returns.returns_page", "ReturnsPage"),
    ("meetings_page", "collab_desktop.ui.meetings.meetings_page", "MeetingsPage"),
)

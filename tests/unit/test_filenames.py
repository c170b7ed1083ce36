from collab_desktop.services.filenames import safe_filename


def test_characters_windows_forbids_are_replaced():
    assert safe_filename('Fine Cell Work: "needlework" <group> a/b\\c|d?e*f') == (
        "Fine Cell Work- -needlework- -group- a-b-c-d-e-f"
    )


def test_reserved_device_names_are_not_used_bare():
    for reserved in ("CON", "prn", "Aux", "NUL", "COM1", "lpt9", "con.txt"):
        assert safe_filename(reserved).upper() != reserved.upper()
        assert safe_filename(reserved).startswith("_")


def test_length_trailing_dots_and_spaces_and_empty_names():
    assert len(safe_filename("x" * 500)) == 120
    assert safe_filename("Agreement. . ") == "Agreement"
    assert safe_filename("   ") == "untitled"
    assert safe_filename("Grŵp gwnïo", ".pdf") == "Grŵp gwnïo.pdf"  # Welsh letters kept

"""Exchange packs on screen: File → Import pack… (or a pack dropped on the window) with its
preview, and File → Export pack…"""

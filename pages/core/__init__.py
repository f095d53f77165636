"""The app's plumbing shared by every page: the database cursor, who is signed in, the address
and navigation, cached reads, and `run`, the one way a page runs a service.

Not pages themselves (Streamlit scans only the files directly in pages/).
"""

"""Drawing pieces shared by the pages: profile, pain rows, screens, findings, charts, tables.

Each reads widgets or draws data; none writes (a page hands what they return to a service).
"""

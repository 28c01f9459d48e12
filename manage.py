#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings")
    # Commands run from a checkout are development work unless the environment says otherwise;
    # the production start is gunicorn through wsgi.py, which refuses to run without a secret
    # key. Deployments set DJANGO_DEBUG=0 (docker-compose.yml does) for their commands too.
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

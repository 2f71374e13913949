"""The playbook that renders the appliance's nginx site the way roles/nginx does, for the nginx
tests and scripts/bench_site.py (both run it with their own ports and paths as extra vars);
bench_site renders the gunicorn unit with it too ({src} of TEMPLATE_PLAYBOOK), to run gunicorn
exactly as the appliance does."""

TEMPLATE_PLAYBOOK = """
- name: Render a deploy/ template as the roles do
  hosts: localhost
  connection: local
  gather_facts: false
  vars_files:
    - {ansible}/roles/app/defaults/main.yml
    - {ansible}/roles/nginx/defaults/main.yml
  tasks:
    - name: Render
      ansible.builtin.template:
        src: {src}
        dest: {dest}
        mode: "0644"
"""
RENDER_PLAYBOOK = TEMPLATE_PLAYBOOK.replace("{src}", "{deploy}/nginx/macmerkezi.conf")

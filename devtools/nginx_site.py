"""The playbook that renders the appliance's nginx site the way roles/nginx does, for the nginx
tests and scripts/bench_site.py (both run it with their own ports and paths as extra vars)."""

RENDER_PLAYBOOK = """
- name: Render the nginx site as roles/nginx does
  hosts: localhost
  connection: local
  gather_facts: false
  vars_files:
    - {ansible}/roles/app/defaults/main.yml
    - {ansible}/roles/nginx/defaults/main.yml
  tasks:
    - name: Render
      ansible.builtin.template:
        src: {deploy}/nginx/macmerkezi.conf
        dest: {dest}
        mode: "0644"
"""

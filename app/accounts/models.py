# No models of our own. The module exists because Django sends `post_migrate` only for apps
# with a models module, and the groups (see groups.py) are (re)applied on that signal.

# The plugin under test is loaded by its pytest11 entry point (pip install ./clients/python);
# pytester runs inner pytest sessions for the tests of the plugin itself.
pytest_plugins = ["pytester"]

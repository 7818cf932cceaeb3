"""Small real-looking diffs shared by the triage tests."""

PYTHON_FIX = """diff --git a/src/pkg/paths.py b/src/pkg/paths.py
index 1111111..2222222 100644
--- a/src/pkg/paths.py
+++ b/src/pkg/paths.py
@@ -10,7 +10,9 @@ def samefile(a, b):
 def samefile(a, b):
     # compare inodes
-    return os.stat(a).st_ino == os.stat(b).st_ino
+    left, right = os.stat(a), os.stat(b)
+    if left.st_ino == 0:
+        return os.path.abspath(a) == os.path.abspath(b)
+    return left.st_ino == right.st_ino


 def other():
diff --git a/tests/test_paths.py b/tests/test_paths.py
index 3333333..4444444 100644
--- a/tests/test_paths.py
+++ b/tests/test_paths.py
@@ -1,3 +1,8 @@
 from pkg.paths import samefile
+
+
+def test_samefile_zero_inode(tmp_path):
+    path = tmp_path / "x"
+    assert samefile(path, path)
diff --git a/changelog/123.bugfix.rst b/changelog/123.bugfix.rst
new file mode 100644
--- /dev/null
+++ b/changelog/123.bugfix.rst
@@ -0,0 +1,4 @@
+Zero inodes
+===========
+
+Fixed ``samefile`` on file systems without inode numbers.
"""

REWRITTEN_FIX = """diff --git a/src/pkg/paths.py b/src/pkg/paths.py
--- a/src/pkg/paths.py
+++ b/src/pkg/paths.py
@@ -10,7 +10,10 @@ def samefile(a, b):
 def samefile(a, b):
-    return os.stat(a).st_ino == os.stat(b).st_ino
+    stat_a = os.stat(a)
+    stat_b = os.stat(b)
+    if not stat_a.st_ino:
+        return os.path.realpath(a) == os.path.realpath(b)
+    return stat_a.st_ino == stat_b.st_ino
"""

UNRELATED = """diff --git a/src/pkg/terminal.py b/src/pkg/terminal.py
--- a/src/pkg/terminal.py
+++ b/src/pkg/terminal.py
@@ -40,6 +40,7 @@ class TerminalWriter:
     def write(self, text):
-        self._file.write(text)
+        self._file.write(text.replace("\\t", "    "))
+        self._written += len(text)
"""

// The consumer build's dependency tree (dependency:tree, written at verify) holds exactly one OkHttp:
// com.squareup.okhttp3:okhttp:4.12.0, and no okhttp-jvm (OkHttp 5) next to it; Retrofit's 3.14.9 lost to it.
def tree = new File(basedir, 'target/dependency-tree.txt').text
println tree
def okhttps = tree.readLines().findAll { it =~ /com\.squareup\.okhttp3:okhttp(-jvm)?:jar:/ }
assert okhttps.size() == 1 : "expected one OkHttp in the tree, found ${okhttps}"
assert okhttps[0].contains('com.squareup.okhttp3:okhttp:jar:4.12.0:compile') : okhttps[0]
assert tree.contains('com.squareup.retrofit2:retrofit:jar:2.11.0:compile')
def log = new File(basedir, 'build.log').text
assert log =~ /Tests run: 2, Failures: 0, Errors: 0, Skipped: 0/
return true

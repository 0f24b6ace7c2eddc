// The consumer build's dependency tree (dependency:tree, written at verify) holds exactly one OkHttp:
// com.squareup.okhttp3:okhttp-jvm (OkHttp 5's Maven artifact), no okhttp 4.
def tree = new File(basedir, 'target/dependency-tree.txt').text
println tree
def okhttps = tree.readLines().findAll { it =~ /com\.squareup\.okhttp3:okhttp(-jvm)?:jar:/ }
assert okhttps.size() == 1 : "expected one OkHttp in the tree, found ${okhttps}"
assert okhttps[0] =~ /com\.squareup\.okhttp3:okhttp-jvm:jar:5\.[0-9.]+:compile/ : okhttps[0]
def log = new File(basedir, 'build.log').text
assert log =~ /Tests run: 2, Failures: 0, Errors: 0, Skipped: 0/
return true

// maven-invoker-plugin post-build check (see ../zero-shot-app/check-output.groovy)
expectedBackend = 'onnx'
def onnx = evaluate(new File(basedir, '../zero-shot-app/check-output.groovy'))

// The same source, image and checkpoint ran on DJL just before (invoker.ordinal): ONNX Runtime must
// give the same probabilities.
def djlLog = new File(basedir, '../zero-shot-app-djl/build.log')
assert djlLog.isFile() : "no ${djlLog}: zero-shot-app-djl, the reference, must run before this sample"
def djl = probabilitiesIn(djlLog)
onnx.each { name, p ->
  assert djl.containsKey(name) && Math.abs(p - djl[name]) < 2e-4 : "${name}: onnx ${p}, djl ${djl[name]}"
}
return true

// maven-invoker-plugin post-build check (see ../zero-shot-app/check-output.groovy)
expectedBackend = 'onnx'
def onnx = evaluate(new File(basedir, '../zero-shot-app/check-output.groovy'))

// The same source, images and checkpoint ran on DJL just before (invoker.ordinal): ONNX Runtime must
// give the same probabilities for the PNG and the DICOM file.
def djlLog = new File(basedir, '../zero-shot-app-djl/build.log')
assert djlLog.isFile() : "no ${djlLog}: zero-shot-app-djl, the reference, must run before this sample"
def djl = probabilitiesIn(djlLog).collectEntries { image, p -> [(new File(image).name): p] }
onnx.each { image, probabilities ->
  def name = new File(image).name
  assert djl.containsKey(name) : "djl classified no ${name}: ${djl.keySet()}"
  probabilities.each { cls, p ->
    assert Math.abs(p - djl[name][cls]) < 2e-4 : "${name} ${cls}: onnx ${p}, djl ${djl[name][cls]}"
  }
}
return true

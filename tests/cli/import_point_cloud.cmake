# `vitrine import-scan` on point clouds: each is read and summarized (points, bounds), then the
# command says point clouds are not yet converted, exits 1 and writes no pack.
# -DVITRINE=... -DCORPUS=... -DWORK=...
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(cases
    "pointclouds/potree-lion/pointclouds/lion_takanawa.copc.laz@@LAZ 1.4 \\(COPC\\) point cloud, 341989 points.*octree  9 nodes with points in 2 levels"
    "pointclouds/pdal/autzen_trim.laz@@LAZ 1.2 point cloud, 110000 points"
    "pointclouds/pdal/warsaw_small.las@@LAS 1.2 point cloud, 3000 points"
    "pointclouds/libE57Format-test-data/reference/bunnyDouble.e57@@E57 1.0 point cloud, 30571 points"
    "meshes/stanford-bunny/bunny/data/bun000.ply@@PLY point cloud, 40256 points")
foreach(case ${cases})
    string(REPLACE "@@" ";" fields "${case}")
    list(GET fields 0 input)
    list(GET fields 1 expected)
    execute_process(COMMAND ${VITRINE} import-scan ${CORPUS}/${input} -o ${WORK}/cloud.vpk
                    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 120)
    if(NOT status EQUAL 1)
        message(FATAL_ERROR "${input}: expected exit 1, got '${status}'\n${out}\n${err}")
    endif()
    if(NOT out MATCHES "${expected}" OR NOT out MATCHES "bounds  min \\(")
        message(FATAL_ERROR "${input}: the summary does not say '${expected}' with bounds:\n${out}")
    endif()
    if(NOT err MATCHES "error: .*point clouds are read but not yet converted")
        message(FATAL_ERROR "${input}: no 'not yet converted' error line:\n${err}")
    endif()
    if(EXISTS ${WORK}/cloud.vpk)
        message(FATAL_ERROR "${input}: a pack was written")
    endif()
    message(STATUS "${out}")
endforeach()
